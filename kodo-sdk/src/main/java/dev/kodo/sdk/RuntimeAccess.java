package dev.kodo.sdk;

import dev.kodo.sdk.internal.SdkBridge;
import java.util.List;
import java.util.Map;

/**
 * The SDK's side of {@link SdkBridge}: hands the runtime-only operations to the runtime. Stateless.
 */
final class RuntimeAccess implements SdkBridge.Access {

  @Override
  public Inputs validate(Form form, Map<String, ?> raw) {
    return form.validate(raw);
  }

  @Override
  public Inputs accept(Demand demand, Map<String, ?> candidate) {
    return demand.accept(candidate);
  }

  @Override
  public List<Map<String, Object>> hints(Form form) {
    return form.hints();
  }
}
