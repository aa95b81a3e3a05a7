package dev.kodo.registry.outbound;

/**
 * What a node or peer answered to one of the registry's requests.
 *
 * @param status the HTTP status
 * @param body the body, read up to the limit the request set (empty when it set none)
 */
public record RemoteAnswer(int status, byte[] body) {

  /** A short classification of the status, fit to show without quoting the answer. */
  public String statusText() {
    String kind;
    if (status / 100 == 2) kind = "success";
    else if (status / 100 == 3) kind = "a redirect, which the registry does not follow";
    else if (status == 401 || status == 403) kind = "not authorised";
    else if (status == 404) kind = "not found: is the URL a Kodo service's base URL?";
    else if (status == 413) kind = "the request was too large for it";
    else if (status == 429 || status == 503) kind = "busy or unavailable";
    else if (status / 100 == 4) kind = "it refused the request";
    else kind = "a server error";
    return status + " (" + kind + ")";
  }
}
