// claimset review page: one claim at a time, decided with one key, saved at once.
//
// Document text comes from scraped web pages and is hostile: it is only ever put on the
// page through textContent / createElement, never parsed as HTML.
"use strict";

(() => {
  const REVIEWER_KEY = "claimset.reviewer";
  const VERDICT_KEYS = { y: "supported", n: "refuted", e: "not_enough_info", u: "unverified" };
  const DECISION_KEYS = { a: "accept", x: "reject", s: "skip" };
  const DONE_WORDS = { accept: "Accepted", reject: "Rejected", relabel: "Relabelled", skip: "Skipped" };

  const $ = (id) => document.getElementById(id);

  const state = {
    meta: null,
    claimId: null, // the claim on screen
    lastId: null, // the last claim shown: where "next" continues after the end of the queue
    view: null, // the /api/claims answer for claimId
    queueIds: [],
    pendingVerdict: null,
    pendingCitation: null, // the corrected flag, or null when the extracted one stands
    busy: false,
    restartWanted: false, // the filters changed while a request was running
  };

  // --- small helpers ----------------------------------------------------------------------

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function words(value) {
    return String(value).replace(/_/g, " ");
  }

  function setStatus(message, isError = false) {
    const status = $("status");
    status.textContent = message;
    status.classList.toggle("error", isError);
  }

  class ApiError extends Error {
    constructor(message, problems, status) {
      super(message);
      this.problems = problems || [];
      this.status = status;
    }
  }

  async function api(path, body) {
    const options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const message = (data && data.error) || `the server answered ${response.status}`;
      throw new ApiError(message, data && data.problems, response.status);
    }
    return data;
  }

  function showError(error) {
    const problems = error.problems && error.problems.length ? `: ${error.problems.join("; ")}` : "";
    setStatus(`${error.message}${problems}`, true);
  }

  // --- queue and progress -----------------------------------------------------------------

  function queueQuery(at) {
    const params = new URLSearchParams();
    const type = $("filter-type").value;
    if (type) params.set("type", type);
    if ($("filter-unreviewed").checked) params.set("unreviewed", "1");
    if ($("filter-uncited").checked) params.set("uncited", "1");
    if ($("filter-needs-citation").checked) params.set("needs_citation", "1");
    if (at) params.set("at", at);
    return `/api/queue?${params}`;
  }

  async function loadQueue(at) {
    const queue = await api(queueQuery(at));
    state.queueIds = queue.claim_ids;
    renderProgress(queue.progress);
    return queue;
  }

  function renderProgress(progress) {
    $("progress").textContent = `Reviewed ${progress.reviewed} / ${progress.total}`;
    const bar = $("progress-bar");
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.reviewed;
    const counts = $("counts");
    clear(counts);
    for (const decision of state.meta.decisions) {
      const item = el("li", null, `count count-${decision}`);
      item.append(el("span", words(decision), "count-name"), " ");
      item.append(el("strong", progress.by_decision[decision] || 0));
      counts.append(item);
    }
    if (progress.orphaned) {
      counts.append(el("li", `${progress.orphaned} orphaned`, "count"));
    }
  }

  function renderQueueInfo() {
    const size = state.queueIds.length;
    const index = state.queueIds.indexOf(state.claimId);
    const info = $("queue-info");
    if (!size) info.textContent = "The queue is empty.";
    else if (index >= 0) info.textContent = `Claim ${index + 1} of ${size} in the queue`;
    else info.textContent = `${size} claims in the queue (this one is not among them)`;
  }

  // --- showing a claim --------------------------------------------------------------------

  async function showClaim(claimId) {
    const view = await api(`/api/claims/${encodeURIComponent(claimId)}`);
    state.claimId = claimId;
    state.lastId = claimId;
    state.view = view;
    resetPending();
    $("note").value = "";
    renderClaim(view);
    $("empty-view").hidden = true;
    $("claim-view").hidden = false;
    renderQueueInfo();
    history.replaceState(null, "", `#${claimId}`);
  }

  function showEnd(message) {
    state.claimId = null;
    state.view = null;
    resetPending();
    $("claim-view").hidden = true;
    $("empty-view").hidden = false;
    $("empty-message").textContent = message;
    $("restart").hidden = state.queueIds.length === 0;
    renderQueueInfo();
  }

  function renderParagraph(view) {
    const paragraph = $("paragraph");
    clear(paragraph);
    let mark = null;
    for (const segment of view.segments) {
      let node = document.createTextNode(segment.text);
      if (segment.entity) {
        const span = el("span", null, "entity");
        span.title = `${segment.entity.canonical} (${segment.entity.label})`;
        span.append(node);
        node = span;
      }
      if (segment.in_claim) {
        // Consecutive claim pieces share one <mark>, so the claim reads as one highlight.
        if (!mark) {
          mark = el("mark", null, "claim");
          mark.id = "claim-text";
          paragraph.append(mark);
        }
        mark.append(node);
      } else {
        mark = null;
        paragraph.append(node);
      }
    }
  }

  function yesNo(value) {
    return value ? "yes" : "no";
  }

  function renderClaim(view) {
    const claim = view.claim;
    $("claim-id").textContent = claim.claim_id;
    $("source-file").textContent = view.source_file;
    $("source-line").textContent = view.line;
    renderParagraph(view);

    const type = $("fact-type");
    clear(type);
    type.append(el("strong", words(claim.claim_type)));
    const others = claim.claim_types.filter((t) => t !== claim.claim_type);
    if (others.length) type.append(` (also ${others.map(words).join(", ")})`);

    const citation = $("fact-citation");
    clear(citation);
    citation.append(yesNo(claim.has_citation));
    for (const marker of claim.citation_markers) {
      citation.append(" ", el("code", marker, "marker"));
    }
    if (claim.citation_needed) citation.append(" ", el("strong", "citation needed", "needed"));

    $("fact-hedge").textContent = claim.hedge_cue ? `hedged: “${claim.hedge_cue}”` : "not hedged";
    $("fact-negated").textContent = claim.negated
      ? `yes${claim.negation_cue ? `: “${claim.negation_cue}”` : ""}`
      : "no";

    const entities = $("fact-entities");
    clear(entities);
    if (!claim.entities.length) entities.append(el("li", "none", "muted"));
    for (const entity of claim.entities) {
      const item = el("li");
      item.append(el("span", entity.canonical, "entity-name"), " ");
      item.append(el("span", entity.label, "label"));
      if (entity.text.toLowerCase() !== entity.canonical.toLowerCase()) {
        item.append(" ", el("span", `“${entity.text}”`, "muted"));
      }
      entities.append(item);
    }
    for (const button of document.querySelectorAll("#type-keys button")) {
      const current = button.dataset.type === claim.claim_type;
      button.classList.toggle("current", current);
      button.title = current ? "the extracted type" : "";
    }
    $("relabel-type").value = claim.claim_type;
    renderLatest(view.latest_decision);
    renderEvidence(view.evidence || []);
  }

  // The claims of other sources linked to this one, contradictions first (as sent).
  function renderEvidence(evidence) {
    const list = $("evidence");
    clear(list);
    $("evidence-none").hidden = evidence.length > 0;
    const contradicting = evidence.filter((x) => x.relation === "contradicts").length;
    $("evidence-count").textContent = evidence.length
      ? `(${contradicting} contradicting, ${evidence.length - contradicting} stating the same)`
      : "";
    for (const linked of evidence) {
      const item = el("li", null, `evidence-item relation-${linked.relation}`);
      item.append(el("strong", linked.relation === "contradicts" ? "Contradicts" : "Same", "relation"), " ");
      item.append(el("span", linked.source_file, "source"), ": ");
      item.append(el("q", linked.text));
      item.append(el("div", `${linked.reason} · confidence ${linked.confidence.toFixed(2)}`, "muted reason"));
      list.append(item);
    }
  }

  function renderLatest(latest) {
    const box = $("fact-decision");
    clear(box);
    if (!latest) {
      box.append(el("span", "none yet", "muted"));
      return;
    }
    box.append(el("strong", words(latest.decision), `decision decision-${latest.decision}`));
    if (latest.claim_type) box.append(` to ${words(latest.claim_type)}`);
    if (latest.verdict) box.append(`, verdict ${words(latest.verdict)}`);
    if (latest.has_citation !== null && latest.has_citation !== undefined) {
      box.append(`, citation corrected to ${yesNo(latest.has_citation)}`);
    }
    box.append(el("span", ` by ${latest.reviewer} at ${latest.reviewed_at} (${latest.channel})`, "muted"));
    if (latest.note) box.append(el("q", latest.note, "note"));
    if (latest.n_reviews > 1) box.append(el("span", ` · ${latest.n_reviews} decisions in the log`, "muted"));
  }

  // --- pending verdict and citation correction ----------------------------------------------

  function resetPending() {
    state.pendingVerdict = null;
    state.pendingCitation = null;
    renderPending();
  }

  function renderPending() {
    $("pending-verdict").textContent = state.pendingVerdict ? words(state.pendingVerdict) : "none";
    $("pending-citation").textContent =
      state.pendingCitation === null ? "none" : `has citation → ${yesNo(state.pendingCitation)}`;
    for (const button of document.querySelectorAll("[data-verdict]")) {
      button.setAttribute("aria-pressed", String(button.dataset.verdict === state.pendingVerdict));
    }
    $("toggle-citation").setAttribute("aria-pressed", String(state.pendingCitation !== null));
  }

  function toggleVerdict(verdict) {
    if (!state.view) return;
    state.pendingVerdict = state.pendingVerdict === verdict ? null : verdict;
    renderPending();
  }

  function toggleCitation() {
    if (!state.view) return;
    state.pendingCitation = state.pendingCitation === null ? !state.view.claim.has_citation : null;
    renderPending();
  }

  // --- deciding and moving ------------------------------------------------------------------

  async function guarded(action) {
    if (state.busy) return; // one request at a time: a held-down key must not decide twice
    state.busy = true;
    document.body.classList.add("busy");
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      state.busy = false;
      document.body.classList.remove("busy");
    }
    if (state.restartWanted) await restartQueue();
  }

  function decide(decision, claimType = null) {
    return guarded(async () => {
      if (!state.view) return;
      const claimId = state.claimId;
      const reviewer = $("reviewer").value.trim();
      const body = { claim_id: claimId, decision, reviewer };
      if (claimType) body.claim_type = claimType;
      if (state.pendingVerdict) body.verdict = state.pendingVerdict;
      if (state.pendingCitation !== null) body.has_citation = state.pendingCitation;
      const note = $("note").value.trim();
      if (note) body.note = note;
      let answer;
      try {
        answer = await api("/api/decisions", body);
      } catch (error) {
        const problems = error.problems || [];
        if (problems.some((p) => p.startsWith("field 'reviewer'"))) $("reviewer").focus();
        throw error;
      }
      renderProgress(answer.progress);
      const done = DONE_WORDS[decision] || decision;
      await advance(claimId, 1, `${done}${claimType ? ` as ${words(claimType)}` : ""}: ${claimId}.`);
    });
  }

  // Move from a claim to its neighbour in the (freshly loaded) queue. After a decision
  // (`decided` is its message) the end of the queue shows an end page; plain j/k stay put.
  async function advance(fromId, step, decided = "") {
    const queue = await loadQueue(fromId);
    const target = step > 0 ? queue.next : queue.previous;
    if (target) {
      await showClaim(target);
      setStatus(decided);
    } else if (decided) {
      showEnd(`${decided} That was the last claim in the queue.`);
      setStatus(decided);
    } else {
      renderQueueInfo();
      setStatus(`This is the ${step > 0 ? "last" : "first"} claim in the queue.`);
    }
  }

  function move(step) {
    return guarded(async () => {
      const from = state.claimId || state.lastId;
      if (from) await advance(from, step);
      else await start();
    });
  }

  async function start() {
    const queue = await loadQueue();
    const wanted = decodeURIComponent(location.hash.slice(1));
    const first = queue.claim_ids.includes(wanted) ? wanted : queue.claim_ids[0];
    if (first) await showClaim(first);
    else showEnd("No claim matches these filters.");
  }

  function restartQueue() {
    state.restartWanted = state.busy; // picked up when the running request ends
    return guarded(async () => {
      history.replaceState(null, "", location.pathname);
      await start();
      setStatus("");
    });
  }

  // --- keyboard -----------------------------------------------------------------------------

  function isTyping(target) {
    if (!(target instanceof HTMLElement)) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
    return false;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const help = $("help");
    if (help.open) {
      if (event.key === "?") {
        event.preventDefault();
        help.close();
      }
      return; // the dialog handles Esc itself
    }
    if (isTyping(event.target)) {
      if (event.key === "Escape") event.target.blur(); // back to the shortcuts
      return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const types = state.meta ? state.meta.claim_types : [];
    let handled = true;
    if (key in DECISION_KEYS) decide(DECISION_KEYS[key]);
    else if (key in VERDICT_KEYS) toggleVerdict(VERDICT_KEYS[key]);
    else if (/^[0-9]$/.test(key)) {
      const type = types[key === "0" ? 9 : Number(key) - 1];
      if (type) decide("relabel", type);
    } else if (key === "r") $("relabel-type").focus();
    else if (key === "c") toggleCitation();
    else if (key === "j" || key === "ArrowRight") move(1);
    else if (key === "k" || key === "ArrowLeft") move(-1);
    else if (key === "?") help.showModal();
    else handled = false;
    if (handled) event.preventDefault();
  }

  // --- set-up ---------------------------------------------------------------------------------

  function fillTypes(types) {
    const filter = $("filter-type");
    const relabel = $("relabel-type");
    const list = $("type-keys");
    types.forEach((type, index) => {
      filter.append(new Option(words(type), type));
      relabel.append(new Option(words(type), type));
      const item = el("li");
      const button = el("button", null, "type-button");
      button.type = "button";
      button.dataset.type = type;
      if (index < 10) button.append(el("kbd", String((index + 1) % 10)), " ");
      button.append(words(type));
      item.append(button);
      list.append(item);
    });
  }

  function initReviewer(meta) {
    const field = $("reviewer");
    let stored = null;
    try {
      stored = localStorage.getItem(REVIEWER_KEY);
    } catch {
      stored = null; // storage disabled: the field still works for this visit
    }
    // A name given on the command line wins over the one remembered by this browser.
    field.value = meta.reviewer_given || !stored ? meta.reviewer : stored;
    field.addEventListener("change", () => {
      try {
        localStorage.setItem(REVIEWER_KEY, field.value.trim());
      } catch {
        // not remembered; nothing else to do
      }
    });
  }

  function wire() {
    document.addEventListener("keydown", onKey);
    for (const button of document.querySelectorAll("[data-decision]")) {
      button.addEventListener("click", () => decide(button.dataset.decision));
    }
    for (const button of document.querySelectorAll("[data-verdict]")) {
      button.addEventListener("click", () => toggleVerdict(button.dataset.verdict));
    }
    $("type-keys").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-type]");
      if (button) decide("relabel", button.dataset.type);
    });
    $("toggle-citation").addEventListener("click", toggleCitation);
    $("relabel-button").addEventListener("click", () => decide("relabel", $("relabel-type").value));
    $("relabel-type").addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        event.target.blur();
        decide("relabel", event.target.value);
      }
    });
    $("prev-button").addEventListener("click", () => move(-1));
    $("next-button").addEventListener("click", () => move(1));
    $("help-button").addEventListener("click", () => $("help").showModal());
    $("restart").addEventListener("click", restartQueue);
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    $("filters").addEventListener("change", () => restartQueue());
  }

  async function main() {
    wire();
    try {
      const meta = await api("/api/meta");
      state.meta = meta;
      $("dataset").textContent = `${meta.dataset} · ${meta.claims} claims`;
      fillTypes(meta.claim_types);
      initReviewer(meta);
      await guarded(start);
    } catch (error) {
      showError(error);
    }
  }

  document.addEventListener("DOMContentLoaded", main);
})();
