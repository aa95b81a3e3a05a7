// Kodo's pages (docs/ui.md): the run page's live timeline over server-sent events.
// No inline script anywhere (the Content-Security-Policy forbids it); events are drawn with
// textContent only, so nothing a flow or a person wrote can run in the page.
(function () {
  "use strict";
  var TYPES = ["inputs", "version", "flow", "config", "agent", "task", "tool", "progress", "final",
    "result", "result-error", "action", "action-error", "stdout", "stderr", "fatal", "acknowledge",
    "share", "kill", "delete", "lock", "candidate", "unlock", "unlock-deny", "unlock-timeout",
    "lock-timeout"];
  // Steps of agents, tools and the flow's own output: collapsed by default.
  var STEPS = { config: 1, agent: 1, task: 1, tool: 1, action: 1, "action-error": 1, stdout: 1, stderr: 1 };
  var TERMINAL = { final: 1, fatal: 1, kill: 1 };
  // Events after which the server-drawn panel (state, result, lock form, actions) is redrawn.
  var REDRAW = { final: 1, fatal: 1, kill: 1, lock: 1, unlock: 1, "lock-timeout": 1,
    "unlock-timeout": 1, acknowledge: 1, result: 1, "result-error": 1 };
  var BATCH = 250; // events drawn per animation frame: a run of 10,000 events renders progressively
  var SUMMARY = 160; // characters of a summary line

  function cut(text) {
    text = String(text == null ? "" : text);
    return text.length > SUMMARY ? text.slice(0, SUMMARY - 1) + "…" : text;
  }

  // An intermediate result in one line: a Markdown body's first line, a JSON body as compact JSON.
  function resultLine(d) {
    if (d.format === "markdown" && typeof d.body === "string") {
      var lines = d.body.split("\n");
      for (var i = 0; i < lines.length; i++) {
        var l = lines[i].replace(/^\s*#+\s*/, "").trim();
        if (l) return l;
      }
      return "";
    }
    return d.body === undefined ? "" : JSON.stringify(d.body);
  }

  function start(list) {
    var last = 0, ended = false, queue = [], drawing = false, redrawTimer = null, source = null;
    var status = document.getElementById("stream-status");
    list.setAttribute("aria-busy", "true");

    function say(text) { if (status) status.textContent = text; }

    function summary(e) {
      var d = e.data || {};
      switch (e.type) {
        case "progress": return Math.round((d.value || 0) * 100) + "% " + (d.message || "");
        case "final": return "finished in " + (d.runtime != null ? d.runtime + " s" : "?");
        case "fatal": return (d.reason || "") + " " + (d.message || "");
        case "action": case "action-error":
          if (d.name === "llm") {
            return "llm " + (d.model || "") + (d.input_tokens != null ? " · " + d.input_tokens + " in / " +
              d.output_tokens + " out tokens" : "") + (d.message ? " · " + d.message : "");
          }
          return d.name || "";
        case "result": return "intermediate result: " + resultLine(d);
        case "stdout": case "stderr": return d.line || "";
        case "lock": return (d.demand && d.demand.title) || d.lid || "";
        case "unlock-deny": return (d.errors || []).map(function (x) { return x.field + ": " + x.message; }).join("; ");
        case "agent": return (d.agent || "") + (d.role ? " · " + d.role : "") + " — " + (d.phase || "");
        case "task": return (d.task || "") + " — " + (d.phase || "") + (d.description ? ": " + d.description : "");
        case "tool": return (d.tool || "") + (d.error ? " failed: " + d.error : "") +
          (d.duration_ms != null ? " (" + d.duration_ms + " ms)" : "");
        case "flow": return d.name || "";
        default: return "";
      }
    }

    function item(e) {
      var li = document.createElement("li");
      li.className = "ev ev-" + e.type + (STEPS[e.type] ? " step" : "");
      li.setAttribute("data-seq", String(e.seq));
      var time = document.createElement("time");
      time.textContent = (e.ts || "").replace("T", " ").replace("Z", "").slice(11, 23);
      var kind = document.createElement("span");
      kind.className = "type";
      kind.textContent = e.type;
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = cut(summary(e));
      var body = document.createElement("pre");
      body.textContent = JSON.stringify(e.data, null, 2);
      if (STEPS[e.type]) {
        var details = document.createElement("details");
        var sum = document.createElement("summary");
        sum.appendChild(time); sum.appendChild(kind); sum.appendChild(text);
        details.appendChild(sum);
        li.appendChild(details);
        if ((e.type === "task" || e.type === "agent") && e.data && e.data.phase === "start") {
          // a task or agent opens onto its steps; its own data is one more collapsed line
          var children = document.createElement("ol");
          children.className = "steps";
          var data = document.createElement("details");
          data.className = "data";
          var s1 = document.createElement("summary");
          s1.textContent = "data";
          data.appendChild(s1); data.appendChild(body);
          details.appendChild(data);
          details.appendChild(children);
          li.steps = children;
        } else {
          details.appendChild(body);
        }
      } else {
        li.appendChild(time); li.appendChild(kind); li.appendChild(text);
        if (e.type !== "progress") {
          var more = document.createElement("details");
          var s2 = document.createElement("summary");
          s2.textContent = "data";
          more.appendChild(s2); more.appendChild(body);
          li.appendChild(more);
        }
      }
      return li;
    }

    // The agentic engine's steps as a tree (docs/ui.md#the-run-page), from the fields its events
    // carry (docs/events.md#catalogue): a task holds the agents working on it (agent.task), an agent
    // its tool and model calls (tool.agent, action.agent); a finish goes last into its start's list.
    var openTasks = Object.create(null), openAgents = Object.create(null);

    function place(e, li, root) {
      var d = e.data || {}, start = d.phase === "start", parent = null;
      if (e.type === "task") {
        parent = start ? null : openTasks[d.task];
        if (!start) delete openTasks[d.task];
      } else if (e.type === "agent") {
        parent = start ? openTasks[d.task] : openAgents[d.agent] || openTasks[d.task];
        if (!start) delete openAgents[d.agent];
      } else if (e.type === "tool" || e.type === "action" || e.type === "action-error") {
        parent = d.agent ? openAgents[d.agent] : null;
      }
      (parent || root).appendChild(li);
      if (li.steps && typeof d.task === "string" && e.type === "task") openTasks[d.task] = li.steps;
      if (li.steps && typeof d.agent === "string" && e.type === "agent") openAgents[d.agent] = li.steps;
    }

    function draw() {
      var frag = document.createDocumentFragment();
      var n = Math.min(BATCH, queue.length);
      for (var i = 0; i < n; i++) place(queue[i], item(queue[i]), frag);
      queue.splice(0, n);
      list.appendChild(frag);
      if (queue.length) { window.requestAnimationFrame(draw); } else {
        drawing = false;
        if (ended) list.setAttribute("aria-busy", "false");
      }
    }

    function progress(e) {
      // a replayed stream of an ended run does not move the bar the server drew full
      var panel = document.getElementById("panel");
      if (panel && /^(done|error|killed)$/.test(panel.getAttribute("data-state") || "")) return;
      var bar = document.getElementById("progress");
      if (bar && e.data && typeof e.data.value === "number") bar.value = e.data.value;
      var msg = document.getElementById("progress-message");
      if (msg && e.data) msg.textContent = e.data.message || "";
    }

    function redraw() {
      if (redrawTimer) return;
      redrawTimer = window.setTimeout(function () {
        redrawTimer = null;
        var panel = document.getElementById("panel");
        // An answer being typed is not thrown away by a redraw.
        if (!panel || (document.activeElement && panel.contains(document.activeElement) &&
            document.activeElement.closest("#lock-form, #share-form"))) return;
        fetch(list.getAttribute("data-panel"), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html == null) return;
            var box = document.createElement("div");
            box.innerHTML = html; // drawn and sanitised on the server (docs/ui.md#security)
            var fresh = box.querySelector("#panel");
            if (fresh) {
              panel.replaceWith(fresh);
              if (window.htmx) window.htmx.process(fresh);
            }
          });
      }, 150);
    }

    function onEvent(message) {
      var seq = Number(message.lastEventId);
      if (!(seq > last)) return; // a resumed stream never draws an event twice
      last = seq;
      var e;
      try { e = JSON.parse(message.data); } catch (x) { return; }
      queue.push(e);
      if (!drawing) { drawing = true; window.requestAnimationFrame(draw); }
      if (e.type === "progress") progress(e);
      // the panel drawn on the server already shows events up to its data-seq (a replayed stream)
      var panel = document.getElementById("panel");
      var shown = panel ? Number(panel.getAttribute("data-seq") || 0) : 0;
      if (REDRAW[e.type] && e.seq > shown) redraw();
      if (TERMINAL[e.type]) {
        ended = true;
        say("the run has ended");
        if (source) source.close();
      }
    }

    function connect() {
      var url = list.getAttribute("data-stream") + (last > 0 ? "?after=" + last : "");
      source = new EventSource(url);
      source.onopen = function () { say("live"); };
      for (var i = 0; i < TYPES.length; i++) source.addEventListener(TYPES[i], onEvent);
      source.onerror = function () {
        if (ended) return;
        if (source.readyState === EventSource.CLOSED) {
          // the server ended the stream or refused it: reconnect after the last event we drew
          say("reconnecting…");
          window.setTimeout(connect, 2000);
        } else {
          say("reconnecting…"); // the browser reconnects itself, sending Last-Event-ID
        }
      };
    }
    connect();
  }

  // The runs list's live badges: while a listed run has not finished, its state is asked for every
  // two seconds (one request for the page's at most 20 runs) and its badge redrawn in place.
  function liveBadges() {
    var busy = false;
    window.setInterval(function () {
      var box = document.getElementById("runs");
      if (busy || !box || document.hidden) return;
      var live = box.querySelectorAll(".badge[data-live]");
      if (!live.length) return;
      var query = [];
      for (var i = 0; i < live.length; i++) {
        query.push("fid=" + encodeURIComponent(live[i].getAttribute("data-fid")));
      }
      busy = true;
      fetch(box.getAttribute("data-states") + "?" + query.join("&"),
        { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : {}; })
        .then(function (states) {
          for (var j = 0; j < live.length; j++) {
            var b = live[j], s = states[b.getAttribute("data-fid")];
            if (!s || s === b.textContent) continue;
            b.textContent = s;
            b.className = "badge state-" + s;
            if (s === "done" || s === "error" || s === "killed") b.removeAttribute("data-live");
          }
        })
        .catch(function () { /* the next tick tries again */ })
        .then(function () { busy = false; });
    }, 2000);
  }

  function init() {
    var list = document.getElementById("timeline");
    if (list) start(list);
    if (document.getElementById("runs")) liveBadges();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
