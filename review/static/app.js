"use strict";
// Review page: a queue over the whole output folder (tasks needing a look first, filtered by document,
// flag, agency, area); the task under review is edited beside its source. Edits are kept client-side
// until Ctrl+S sends them as one save for the task's document.

// Vietnamese labels of codes (areas, deadline kinds, recurrences, flags, fields): data/labels.yaml via /api/labels.
let AREAS = {};
let KINDS = {};
let FIELD_NAMES = {};
let RECURRENCES = {};
let FLAGS = {};
let ERRORS = {};

const S = {
  docs: [], docId: null, data: null, cur: null, edits: {}, accepted: {}, deleted: new Set(), added: [],
  itemsTouched: {}, seq: 0, docOrder: false, sources: {}, queue: { total: 0, items: [] }, stale: {},
  filters: { document: "", flag: "", area: "", agency: "", q: "" },
  zoom: Number(localStorage.getItem("plantasks.zoom")) || 1,
};

const $ = (sel, el = document) => el.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const clone = (x) => JSON.parse(JSON.stringify(x));

async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(path, opts);
  const data = await r.json();
  if (!r.ok) {
    const err = new Error(data.error || r.statusText);
    err.status = r.status; err.data = data;
    throw err;
  }
  return data;
}

function flagName(code) {
  if (FLAGS[code]) return FLAGS[code];
  if (code.startsWith("agency_")) return `${FIELD_NAMES.lead}: cần xem (${code})`;
  if (code.startsWith("deadline_")) return `${FIELD_NAMES.deadline}: cần xem (${code})`;
  return `${FLAGS.unknown || "Cần xem"} (${code})`;
}

function viDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso || "");
}

function say(msg, error = false) {
  const el = $("#status");
  el.textContent = msg;
  el.className = msg ? (error ? "show error" : "show") : "";
}

function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

// ---- state helpers -------------------------------------------------------------------------
function original(id) { return S.data.tasks.find((t) => t.id === id); }
function pending(id) { return S.added.find((a) => a.id === id); }
function taskOf(id) { return pending(id) || original(id); }
function val(task, field) {
  if (task.pending) return task[field];
  const e = S.edits[task.id];
  return e && field in e ? e[field] : task[field];
}
function isAccepted(task) {
  return task.id in S.accepted ? S.accepted[task.id] : (task.corrected || []).includes("accepted");
}
function changedFields(task) { return task.pending ? [] : Object.keys(S.edits[task.id] || {}); }
function dirty() {
  return Object.keys(S.edits).length > 0 || Object.keys(S.accepted).length > 0 || S.deleted.size > 0 || S.added.length > 0;
}
function setField(task, field, value) {
  if (task.pending) task[field] = value;
  else {
    const e = (S.edits[task.id] = S.edits[task.id] || {});
    if (same(value, task[field])) delete e[field]; else e[field] = value;
    if (!Object.keys(e).length) delete S.edits[task.id];
  }
  const box = document.querySelector(`[data-field="${field}"]`);
  if (box) box.className = fieldClass(field, task) + (box.classList.contains("agencies") ? " agencies" : "");
  const problems = document.getElementById("problems");
  if (problems) { const p = problemsOf(task); problems.hidden = !p.length; problems.textContent = p.join("; "); }
  refreshChrome();
}

// The list: the folder's queue (server-ordered and filtered), or the open document in its own order;
// tasks added but not saved yet sit after the task they were added below.
function entries() {
  let list;
  if (S.docOrder && S.data) {
    const q = S.filters.q.trim().toLowerCase();
    list = S.data.tasks.filter((t) => !q || [val(t, "stt"), val(t, "content"), ...(val(t, "lead") || []).map((a) => a.name),
      ...(val(t, "support") || []).map((a) => a.name)].join(" ").toLowerCase().includes(q)).map((t) => ({ doc: S.docId, id: t.id }));
  } else {
    list = S.queue.items.map((i) => ({ doc: i.doc, id: i.id }));
  }
  for (const a of S.added) {
    const at = list.findIndex((e) => e.doc === S.docId && e.id === a.after);
    list.splice(at < 0 ? list.length : at + 1, 0, { doc: S.docId, id: a.id });
  }
  return list;
}
function rows() { return entries().filter((e) => e.doc === S.docId).map((e) => e.id); }
function queued(e) { return S.queue.items.find((i) => i.doc === e.doc && i.id === e.id); }

function conflictsOf(id) { return S.data ? (S.data.conflicts || []).filter((c) => c.task_id === id) : []; }

// ---- rendering -----------------------------------------------------------------------------
function badges(t) {
  const out = [];
  if (conflictsOf(t.id).length || (t.flags || []).includes("correction_conflict")) out.push('<span class="badge conflict">xung đột</span>');
  if (S.stale[t.id]) out.push('<span class="badge conflict">người khác vừa sửa</span>');
  if (S.deleted.has(t.id)) out.push('<span class="badge deleted">sẽ xóa</span>');
  if (t.pending || (t.corrected || []).includes("added")) out.push('<span class="badge added">thêm mới</span>');
  const flags = (t.flags || []).filter((f) => f !== "correction_conflict");
  if (flags.length) out.push(`<span class="badge flag" title="${esc(flags.map(flagName).join("; "))}">⚑ ${esc(flagName(flags[0]))}${flags.length > 1 ? " +" + (flags.length - 1) : ""}</span>`);
  const agencies = [...(t.lead || []), ...(t.support || [])].filter((a) => typeof a === "object");
  if (t.unknown_agency || agencies.some((a) => a.match === "none" && !a.id)) out.push('<span class="badge unknown">cơ quan lạ</span>');
  if (t.confidence < LOW) out.push(`<span class="badge low">tin cậy ${Math.round(t.confidence * 100)}%</span>`);
  const edited = changedFields(t).length || Object.keys(S.accepted).includes(t.id);
  if (edited) out.push('<span class="badge edited">chưa lưu</span>');
  else if ((t.corrected || []).some((f) => f !== "accepted" && f !== "added")) out.push('<span class="badge edited">đã sửa</span>');
  if (isAccepted(t)) out.push('<span class="badge accepted">✓ đã duyệt</span>');
  return out.join("");
}

function orphanContent(c) {
  if (c.field === "delete_task" && c.before && c.before.task) return c.before.task.content;
  if (c.field === "add_task" && c.after) return c.after.content;
  return (c.task_key && c.task_key.content) || c.task_id;
}

function excerpt(text, n = 70) {
  const t = String(text || "");
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
}

function shortTable(label) {
  const m = /(\d+)\s*$/.exec(label || "");
  return m ? "PL " + m[1] : "";
}

const LOW = 0.8;

function listItem(e) {
  const open = e.doc === S.docId && S.data;
  const t = open ? taskOf(e.id) : queued(e);
  if (!t) return "";
  const q = queued(e);
  const cls = [e.id === S.cur && open ? "current" : "", open && S.deleted.has(e.id) ? "deleted" : "", open ? "open" : ""].join(" ");
  const label = q ? q.doc_label : (S.data && S.data.label) || "";
  return `<li data-id="${esc(e.id)}" data-doc="${esc(e.doc)}" class="${cls}" title="${esc(label)}"><span class="stt">${esc((open ? val(t, "stt") : t.stt) || "–")}</span>` +
    `<span class="tbl">${esc(shortDoc(label))}</span>` +
    `<span class="excerpt">${esc((open ? val(t, "content") : t.content) || "(chưa có nội dung)")}</span><div class="badges">${badges(t)}</div></li>`;
}

function shortDoc(label) {
  const m = /^([^—]+?)\s*—/.exec(label || "");
  return excerpt(m ? m[1] : label, 26);
}

function renderList() {
  const list = entries();
  $("#tasks").innerHTML = list.map(listItem).join("");
  const more = S.docOrder ? "" : (S.queue.total > S.queue.items.length ? `Hiện ${S.queue.items.length}/${S.queue.total} nhiệm vụ — lọc để thu hẹp.` : `${S.queue.total} nhiệm vụ`);
  $("#queue-count").textContent = more;
  if (!S.data) return;
  const cur = $("#tasks li.current");
  if (cur) cur.scrollIntoView({ block: "nearest" });
  const conflicted = new Set((S.data.conflicts || []).map((c) => c.id));
  const gone = (S.data.history || []).filter((c) => c.field === "delete_task" && c.status === "active" && !conflicted.has(c.id));
  $("#deleted-tasks").innerHTML = gone.length ? `<details><summary>Đã xóa ${gone.length} nhiệm vụ</summary>` +
    gone.map((c) => `<div class="gone"><span class="stt">${esc(c.before.task.stt || "–")}</span>${esc(c.before.task.content)} ` +
      `<button class="small" data-withdraw="${c.id}">Khôi phục</button></div>`).join("") + `</details>` : "";
  const orphan = (S.data.conflicts || []).filter((c) => !c.task_id);
  $("#doc-conflicts").innerHTML = orphan.length ? `<strong>${orphan.length} sửa đổi không còn khớp nhiệm vụ nào</strong> (văn bản nguồn đã đổi):` +
    orphan.map((c) => `<div class="orphan" title="${esc(c.message)}">#${c.id} ${esc(FIELD_NAMES[c.field] || c.field)}: ` +
      `“${esc(excerpt(orphanContent(c)))}” <button class="small" data-withdraw="${c.id}">Bỏ sửa đổi này</button></div>`).join("") : "";
}

function refreshChrome() {
  const d = dirty();
  $("#save").classList.toggle("dirty", d);
  if (!S.data) return;
  $("#doc-title").textContent = S.data.label;
  $("#doc-title").title = S.data.document.source_file;
  const t = S.data.tasks;
  const flagged = t.filter((x) => (x.flags || []).length || x.confidence < S.data.low_confidence).length;
  const acc = t.filter(isAccepted).length;
  $("#stats").textContent = `${t.length} nhiệm vụ · ${flagged} cần xem · ${acc} đã duyệt · ${(S.data.conflicts || []).length} xung đột` + (d ? " · có thay đổi chưa lưu" : "");
  const li = document.querySelector(`#tasks li.open[data-id="${CSS.escape(S.cur || "")}"] .badges`);
  if (li) li.innerHTML = badges(taskOf(S.cur));
}

function fieldClass(field, task) {
  if (!task.pending && field in (S.edits[task.id] || {})) return "field changed";
  return (task.corrected || []).includes(field) ? "field saved" : "field";
}

function fieldBox(field, label, inner, task) {
  return `<div class="${fieldClass(field, task)}" data-field="${field}"><label for="f-${field}">${label}</label>${inner}</div>`;
}

function agencyRows(list, column) {
  return (list || []).map((a, i) => `<div class="agency">` +
    (a.text && a.text !== a.name ? `<span class="printed">in trong văn bản: ${esc(a.text)}</span>` : "") +
    `<input type="text" list="agency-suggestions" data-col="${column}" data-i="${i}" value="${esc(a.name)}" ` +
    `class="${a.match === "none" && !a.id ? "unmatched" : ""}" aria-label="${column === "lead" ? "Cơ quan chủ trì" : "Cơ quan phối hợp"} ${i + 1}">` +
    `<button class="small" data-remove="${column}" data-i="${i}" title="Bỏ cơ quan này">×</button>` +
    (a.match === "none" && !a.id && a.name ? `<span class="unknown-tag">⚠ ${esc(FLAGS.agency_unknown || "không có trong danh mục")}</span>` :
      a.match === "fuzzy" ? `<span class="fuzzy-tag">${esc(FLAGS.agency_fuzzy || "khớp gần đúng")}</span>` : "") + `</div>`).join("") +
    `<button class="small" data-add-agency="${column}">+ Thêm cơ quan</button>`;
}

function itemRows(items) {
  if (!items.length) return '<div class="preview">Chưa có mốc thời hạn nào.</div>';
  const kinds = (k) => Object.entries(KINDS).map(([v, l]) => `<option value="${v}"${v === k ? " selected" : ""}>${l}</option>`).join("");
  return `<table class="items"><tr><th>Loại</th><th>Từ ngày</th><th>Hạn</th><th>Áp dụng cho</th><th></th></tr>` +
    items.map((it, i) => `<tr data-i="${i}"><td><select data-item="kind">${kinds(it.kind)}</select></td>` +
      `<td><input type="date" data-item="start" value="${esc(it.start || "")}"></td>` +
      `<td><input type="date" data-item="due" value="${esc(it.due || "")}"></td>` +
      `<td><input type="text" data-item="label" value="${esc(it.label || "")}"></td>` +
      `<td><button class="small" data-remove-item="${i}" title="Bỏ mốc này">×</button></td></tr>`).join("") + "</table>";
}

// Every item in Vietnamese, with the words it was read from ("Định kỳ hằng năm: «Tháng 6 và tháng 12 hằng năm»").
function describeItems(items) {
  return items.map((it) => {
    let text = KINDS[it.kind] || it.kind;
    const rec = (it.recurrence || []).map((r) => RECURRENCES[r] || r);
    if (rec.length) text += " " + rec.join(", ");
    if (it.start && it.due && it.start !== it.due) text += ` ${viDate(it.start)} → ${viDate(it.due)}`;
    else if (it.due) text += " " + viDate(it.due);
    if (it.label) text += ` (${it.label})`;
    if (it.raw) text += `: «${it.raw}»`;
    return text;
  }).join("; ");
}

// What the server would refuse, said before sending: empty content, a start after the due date.
function problemsOf(t) {
  const out = [];
  if (!String(val(t, "content") || "").trim()) out.push(ERRORS.empty_content || "Nội dung không được để trống");
  for (const it of (val(t, "deadline") || { items: [] }).items || []) {
    if (it.start && it.due && it.start > it.due) out.push(`${ERRORS.start_after_due || "Ngày bắt đầu phải trước hạn"}: ${viDate(it.start)} > ${viDate(it.due)}`);
  }
  return out;
}

function renderEditor() {
  const ed = $("#editor");
  const t = S.cur && taskOf(S.cur);
  if (!t) { ed.innerHTML = '<p class="muted">Không có nhiệm vụ nào.</p>'; return; }
  const dl = val(t, "deadline") || { raw: "", items: [] };
  const areaOpts = Object.entries(AREAS).map(([v, l]) => `<option value="${v}"${v === val(t, "area") ? " selected" : ""}>${l}</option>`).join("");
  const conflicts = conflictsOf(t.id);
  const flags = (t.flags || []).filter((f) => f !== "correction_conflict");
  const history = (S.data.history || []).filter((c) => c.task_id === t.id);
  ed.innerHTML =
    `<h2><span>${esc(t.table || "")}</span><span class="muted">${esc(t.pending ? "nhiệm vụ mới (chưa lưu)" : "mã " + t.id)}</span></h2>` +
    `<div class="actions">` +
    `<button id="act-accept" class="${isAccepted(t) ? "on" : ""}" title="Chấp nhận nhiệm vụ là đúng (a)">${isAccepted(t) ? "✓ Đã chấp nhận" : "Chấp nhận"} <kbd>a</kbd></button>` +
    `<button id="act-add" title="Thêm nhiệm vụ bị sót ngay sau nhiệm vụ này (n)">Thêm nhiệm vụ sót <kbd>n</kbd></button>` +
    `<button id="act-delete" class="danger ${S.deleted.has(t.id) ? "on" : ""}" title="Xóa nhiệm vụ thừa (x)">${S.deleted.has(t.id) ? "Sẽ xóa — bấm để giữ" : "Xóa nhiệm vụ thừa"} <kbd>x</kbd></button>` +
    `</div>` +
    conflicts.map((c) => `<div class="notice conflict"><strong>Xung đột ở ${esc(FIELD_NAMES[c.field] || c.field)}:</strong> ` +
      `văn bản nguồn đã đổi nên sửa đổi #${c.id} chưa được áp dụng.<br>${esc(c.message)}<br>` +
      conflictActions(c) + `</div>`).join("") +
    staleNotice(t) +
    (flags.length ? `<div class="notice flag">Cần xem: ${esc(flags.map(flagName).join("; "))}` +
      (t.confidence < S.data.low_confidence ? ` · độ tin cậy ${Math.round(t.confidence * 100)}%` : "") + `</div>` : "") +
    `<div class="notice error" id="problems" ${problemsOf(t).length ? "" : "hidden"}>${esc(problemsOf(t).join("; "))}</div>` +
    `<div class="row2">` +
    fieldBox("stt", "STT", `<input type="text" id="f-stt" value="${esc(val(t, "stt"))}">`, t) +
    fieldBox("section", "Mục", `<input type="text" id="f-section" value="${esc(val(t, "section"))}">`, t) +
    fieldBox("area", "Lĩnh vực", `<select id="f-area">${areaOpts}</select>`, t) + `</div>` +
    fieldBox("content", "Nội dung", `<textarea id="f-content" rows="4">${esc(val(t, "content"))}</textarea>`, t) +
    fieldBox("outputs", "Sản phẩm (mỗi dòng một sản phẩm)", `<textarea id="f-outputs" rows="2">${esc((val(t, "outputs") || []).join("\n"))}</textarea>`, t) +
    `<div class="${fieldClass("lead", t)} agencies" data-field="lead"><span class="label">Cơ quan chủ trì</span><div id="lead-box">${agencyRows(val(t, "lead"), "lead")}</div></div>` +
    `<div class="${fieldClass("support", t)} agencies" data-field="support"><span class="label">Cơ quan phối hợp</span><div id="support-box">${agencyRows(val(t, "support"), "support")}</div></div>` +
    fieldBox("deadline", "Thời hạn (như in trong văn bản)", `<textarea id="f-deadline" rows="2">${esc(dl.raw)}</textarea>` +
      `<div class="preview" id="deadline-preview">${dl.items.length ? "Chuẩn hóa: " + esc(describeItems(dl.items)) : ""}</div>` +
      `<div id="items-box">${itemRows(dl.items)}</div><button class="small" id="add-item">+ Thêm mốc</button>`, t) +
    fieldBox("funding", "Kinh phí", `<input type="text" id="f-funding" value="${esc(val(t, "funding") || "")}">`, t) +
    (history.length ? `<div class="history"><strong>Lịch sử sửa đổi</strong><ul>` + history.map((c) =>
      `<li>#${c.id} ${esc(c.at)} ${esc(c.who || "")}: ${esc(FIELD_NAMES[c.field] || c.field)} (${esc(statusName(c.status))})</li>`).join("") + `</ul></div>` : "");
  bindEditor(t);
}

function staleNotice(t) {
  const stale = S.stale[t.id];
  if (!stale) return "";
  const show = (v) => esc(JSON.stringify(v, (k, x) => (k === "items" || k === "id" || k === "score" || k === "match" || k === "kind" || k === "successor" ? undefined : x)));
  return `<div class="notice conflict version"><strong>${esc(ERRORS.version_conflict || "")}</strong>` +
    Object.keys(stale.yours || {}).map((f) => `<div>${esc(FIELD_NAMES[f] || f)} — hiện tại: ${show(stale.current[f])}; của bạn: ${show(stale.yours[f])}</div>`).join("") +
    `<div>Bấm Lưu lần nữa để ghi giá trị của bạn, hoặc chọn lại văn bản để bỏ thay đổi.</div></div>`;
}

function statusName(s) {
  return { active: "đang áp dụng", superseded: "đã thay", reverted: "đã hoàn tác", withdrawn: "đã bỏ" }[s] || s;
}

function conflictActions(c) {
  if (c.field === "delete_task") return `<button class="small" data-redo="${c.id}">Vẫn xóa</button><button class="small" data-withdraw="${c.id}">Giữ nhiệm vụ</button>`;
  if (c.field === "add_task") return `<button class="small" data-withdraw="${c.id}">Bỏ nhiệm vụ đã thêm</button>`;
  if (c.field === "accepted") return `<button class="small" data-redo="${c.id}">Chấp nhận lại</button><button class="small" data-withdraw="${c.id}">Bỏ chấp nhận</button>`;
  return `<button class="small" data-redo="${c.id}">Dùng giá trị đã sửa</button><button class="small" data-withdraw="${c.id}">Giữ giá trị trích xuất</button>`;
}

function bindEditor(t) {
  const on = (id, ev, fn) => { const el = $(id); if (el) el.addEventListener(ev, fn); };
  on("#f-stt", "input", (e) => setField(t, "stt", e.target.value));
  on("#f-section", "input", (e) => setField(t, "section", e.target.value));
  on("#f-area", "change", (e) => setField(t, "area", e.target.value));
  on("#f-content", "input", (e) => { setField(t, "content", e.target.value); renderListItem(t); });
  on("#f-outputs", "input", (e) => setField(t, "outputs", e.target.value.split("\n").map((s) => s.trim()).filter(Boolean)));
  on("#f-funding", "input", (e) => setField(t, "funding", e.target.value.trim() || null));
  on("#f-deadline", "input", (e) => {
    const dl = clone(val(t, "deadline") || { raw: "", items: [] });
    dl.raw = e.target.value;
    setField(t, "deadline", dl);
    previewDeadline(t, e.target.value);
  });
  on("#add-item", "click", () => {
    const dl = clone(val(t, "deadline"));
    dl.items.push({ label: null, kind: "unspecified", start: null, due: null, recurrence: [], raw: dl.raw, rule: "analyst", confidence: 1 });
    S.itemsTouched[t.id] = true;
    setField(t, "deadline", dl);
    $("#items-box").innerHTML = itemRows(dl.items);
  });
  on("#items-box", "input", (e) => editItem(t, e));
  on("#items-box", "change", (e) => editItem(t, e));
  on("#items-box", "click", (e) => {
    const i = e.target.dataset.removeItem;
    if (i === undefined) return;
    const dl = clone(val(t, "deadline"));
    dl.items.splice(Number(i), 1);
    S.itemsTouched[t.id] = true;
    setField(t, "deadline", dl);
    $("#items-box").innerHTML = itemRows(dl.items);
  });
  for (const col of ["lead", "support"]) {
    const box = $(`#${col}-box`);
    box.addEventListener("input", (e) => {
      if (e.target.dataset.col !== col) return;
      const list = clone(val(t, col) || []);
      const a = list[Number(e.target.dataset.i)];
      a.name = e.target.value;
      if (!a.text) a.text = "";
      a.id = null; a.match = "none"; a.kind = "unknown"; a.score = 0;
      setField(t, col, list);
      suggestAgencies(e.target.value);
    });
    box.addEventListener("click", (e) => {
      const list = clone(val(t, col) || []);
      if (e.target.dataset.remove === col) list.splice(Number(e.target.dataset.i), 1);
      else if (e.target.dataset.addAgency === col) list.push({ text: "", name: "", id: null, kind: "unknown", match: "none", score: 0, successor: null });
      else return;
      setField(t, col, list);
      box.innerHTML = agencyRows(list, col);
      const inputs = box.querySelectorAll("input");
      if (e.target.dataset.addAgency && inputs.length) inputs[inputs.length - 1].focus();
    });
  }
  on("#act-accept", "click", toggleAccept);
  on("#act-add", "click", addTask);
  on("#act-delete", "click", toggleDelete);
  $("#editor").querySelectorAll("[data-withdraw]").forEach((b) => b.addEventListener("click", () => withdraw(Number(b.dataset.withdraw))));
  $("#editor").querySelectorAll("[data-redo]").forEach((b) => b.addEventListener("click", () => redo(Number(b.dataset.redo))));
}

function editItem(t, e) {
  const key = e.target.dataset.item;
  if (!key) return;
  const i = Number(e.target.closest("tr").dataset.i);
  const dl = clone(val(t, "deadline"));
  dl.items[i][key] = e.target.value || null;
  if (key === "kind") dl.items[i].kind = e.target.value;
  S.itemsTouched[t.id] = true;
  setField(t, "deadline", dl);
  $("#deadline-preview").textContent = "Chuẩn hóa: " + describeItems(dl.items);
}

function renderListItem(t) {
  const li = document.querySelector(`#tasks li[data-id="${CSS.escape(t.id)}"] .excerpt`);
  if (li) li.textContent = val(t, "content");
}

const previewDeadline = debounce(async (t, text) => {
  try {
    const r = await api(`/api/deadline?doc=${encodeURIComponent(S.docId)}&text=${encodeURIComponent(text)}`);
    const prev = $("#deadline-preview");
    if (!prev || S.cur !== t.id) return;
    prev.textContent = r.items.length ? "Chuẩn hóa: " + describeItems(r.items) : "Không tìm thấy mốc thời gian nào.";
    if (!S.itemsTouched[t.id]) {
      const dl = clone(val(t, "deadline"));
      dl.items = r.items;
      setField(t, "deadline", dl);
      $("#items-box").innerHTML = itemRows(dl.items);
    }
  } catch (err) { say(err.message, true); }
}, 250);

const suggestAgencies = debounce(async (prefix) => {
  if (!prefix.trim()) return;
  try {
    const r = await api(`/api/agencies?doc=${encodeURIComponent(S.docId)}&q=${encodeURIComponent(prefix)}`);
    $("#agency-suggestions").innerHTML = r.names.map((n) => `<option value="${esc(n)}">`).join("");
  } catch (err) { say(err.message, true); }
}, 150);

async function renderSource() {
  const pane = $("#source");
  const cur = S.cur && taskOf(S.cur);
  const t = cur && cur.pending ? original(cur.after) : cur;  // a task being added: the source around the row above
  if (!t) { pane.innerHTML = '<p class="muted">Nhiệm vụ mới ở đầu văn bản: chưa có nguồn.</p>'; return; }
  const key = `${S.docId}/${t.id}`;
  let src = S.sources[key];
  if (!src) {
    try { src = S.sources[key] = await api(`/api/source?doc=${encodeURIComponent(S.docId)}&task=${encodeURIComponent(t.id)}`); }
    catch (err) { pane.innerHTML = `<p class="muted">${esc(err.message)}</p>`; return; }
  }
  if (S.cur !== cur.id) return;
  if (src.kind === "text") {
    pane.innerHTML = `<h3>${esc(src.unit || "Dòng")} ${src.start}–${src.end} trong tệp nguồn</h3><pre class="lines">` +
      src.lines.map((l) => `<span class="${l.hit ? "hit" : "ctx"}"><span class="ln">${l.n}</span>${esc(l.text)}</span>`).join("") + "</pre>";
    const hit = pane.querySelector(".hit");
    if (hit) hit.scrollIntoView({ block: "center" });
  } else if (src.kind === "page") {
    const b = src.bbox;
    const box = b ? `<div class="bbox" style="left:${(100 * b[0]) / src.width}%;top:${(100 * b[1]) / src.height}%;` +
      `width:${(100 * (b[2] - b[0])) / src.width}%;height:${(100 * (b[3] - b[1])) / src.height}%"></div>` : "";
    pane.innerHTML = `<h3>Trang ${src.page}${b ? "" : " (không có vị trí ô)"} <span class="zoom">` +
      `<button class="small" data-zoom="-1" title="Thu nhỏ">−</button> ${Math.round(S.zoom * 100)}% ` +
      `<button class="small" data-zoom="1" title="Phóng to">+</button></span></h3>` +
      `<div class="page-scroll"><div class="page" style="width:${S.zoom * 100}%"><img alt="Trang ${src.page}" src="${esc(src.image)}">${box}</div></div>`;
    pane.querySelectorAll("[data-zoom]").forEach((btn) => btn.addEventListener("click", () => {
      S.zoom = Math.max(1, Math.min(3, S.zoom + 0.5 * Number(btn.dataset.zoom)));
      localStorage.setItem("plantasks.zoom", String(S.zoom));
      renderSource();
    }));
    const img = pane.querySelector("img");
    img.addEventListener("load", () => {
      const bb = pane.querySelector(".bbox");
      if (bb) bb.scrollIntoView({ block: "center", inline: "start" });
      document.querySelector("#editor").scrollTop = 0;
    });
  } else {
    pane.innerHTML = `<p class="muted">${esc(src.reason || "Không có nguồn.")}</p>`;
  }
}

// ---- actions -------------------------------------------------------------------------------
function select(id) {
  if (!id) return;
  S.cur = id;
  renderList();
  renderEditor();
  renderSource();
}

async function selectEntry(e) {
  if (!e) return;
  if (e.doc !== S.docId) await openDocument(e.doc, e.id);
  else select(e.id);
}

function move(step) {
  const list = entries();
  if (!list.length) return;
  const i = list.findIndex((e) => e.doc === S.docId && e.id === S.cur);
  selectEntry(list[Math.max(0, Math.min(list.length - 1, i < 0 ? 0 : i + step))]);
}

function toggleAccept() {
  const t = taskOf(S.cur);
  if (!t || t.pending) return;
  const now = !isAccepted(t);
  const before = (t.corrected || []).includes("accepted");
  if (now === before) delete S.accepted[t.id]; else S.accepted[t.id] = now;
  renderEditor(); refreshChrome();
}

function addTask() {
  const anchor = taskOf(S.cur);
  if (!anchor) return;
  const after = anchor.pending ? anchor.after : anchor.id;
  const t = {
    id: `tmp-${++S.seq}`, pending: true, after, table: anchor.table, section: anchor.section, area: anchor.area,
    stt: "", content: "", outputs: [], lead: [], support: [], deadline: { raw: "", items: [] }, funding: null,
    flags: [], corrected: ["added"], confidence: 1, source: {},
  };
  S.added.push(t);
  select(t.id);
  refreshChrome();
  $("#f-content").focus();
}

function toggleDelete() {
  const t = taskOf(S.cur);
  if (!t) return;
  if (t.pending) { S.added = S.added.filter((a) => a !== t); select(t.after || S.data.order[0]); refreshChrome(); return; }
  if (S.deleted.has(t.id)) S.deleted.delete(t.id); else S.deleted.add(t.id);
  renderList(); renderEditor(); refreshChrome();
}

function payloadFields(t, fields) {
  const out = {};
  for (const f of fields) {
    let v = val(t, f);
    if (f === "deadline" && !S.itemsTouched[t.id]) v = { raw: v.raw };
    if ((f === "lead" || f === "support")) v = v.filter((a) => a.name.trim());
    out[f] = v;
  }
  return out;
}

async function save() {
  if (!dirty()) { say("Không có gì để lưu."); return; }
  const ids = new Set([...Object.keys(S.edits), ...Object.keys(S.accepted)]);
  for (const t of [...S.added, ...[...ids].map(original)]) {
    const p = problemsOf(t);
    if (p.length) { select(t.id); say("Chưa lưu: " + p.join("; "), true); return; }
  }
  const body = {
    doc: S.docId, who: $("#who").value.trim(),
    edits: [...ids].map((id) => {
      const t = original(id);
      const e = { task: id, version: t.version, fields: payloadFields(t, changedFields(t)) };
      if (id in S.accepted) e.accepted = S.accepted[id];
      return e;
    }),
    added: S.added.map((a) => ({ after: a.after, fields: payloadFields(a, ["stt", "content", "outputs", "lead", "support", "deadline", "funding", "area", "section"]) })),
    deleted: [...S.deleted].map((id) => ({ task: id, version: (original(id) || {}).version })),
  };
  const keep = rows().indexOf(S.cur);
  try {
    const r = await api("/api/save", body);
    S.stale = {};
    await refreshQueue();
    loadDocument(r.document, keep);
    say(`Đã lưu ${r.saved} sửa đổi.`);
  } catch (err) {
    if (err.status === 409) {  // someone saved these tasks meanwhile: show both values, keep the analyst's edits
      for (const c of err.data.detail || []) S.stale[c.task] = c;
      const fresh = await api(`/api/document?doc=${encodeURIComponent(S.docId)}`);
      S.data = fresh;
      renderList(); renderEditor(); refreshChrome();
    }
    say("Chưa lưu được: " + err.message, true);
  }
}

async function withdraw(id) {
  try {
    const r = await api("/api/withdraw", { doc: S.docId, ids: [id], who: $("#who").value.trim() });
    await refreshQueue();
    loadDocument(r.document, rows().indexOf(S.cur));
    say("Đã bỏ sửa đổi, giữ giá trị trích xuất.");
  } catch (err) { say(err.message, true); }
}

function redo(id) {
  const c = (S.data.conflicts || []).find((x) => x.id === id);
  const t = c && original(c.task_id);
  if (!t) return;
  if (c.field === "delete_task") S.deleted.add(t.id);
  else if (c.field === "accepted") S.accepted[t.id] = true;
  else { setField(t, c.field, c.after); if (c.field === "deadline") S.itemsTouched[t.id] = true; }
  save();
}

function resetEdits() {
  S.edits = {}; S.accepted = {}; S.deleted = new Set(); S.added = []; S.itemsTouched = {}; S.sources = {};
}

function loadDocument(data, keepIndex, want) {
  const prev = want || S.cur;
  S.data = data;
  resetEdits();
  const ids = data.tasks.map((t) => t.id);
  const listed = rows();
  S.cur = ids.includes(prev) ? prev : listed[Math.max(0, Math.min(listed.length - 1, keepIndex ?? 0))] || data.order[0] || null;
  renderList(); renderEditor(); renderSource(); refreshChrome();
}

async function openDocument(id, taskId) {
  if (dirty() && !confirm("Có thay đổi chưa lưu. Bỏ các thay đổi này?")) return;
  const data = await api(`/api/document?doc=${encodeURIComponent(id)}`);
  S.docId = id;
  S.cur = null;
  S.stale = {};
  loadDocument(data, 0, taskId);
}

async function refreshQueue() {
  const f = S.filters;
  const params = new URLSearchParams({ document: f.document, flag: f.flag, area: f.area, agency: f.agency, q: f.q });
  S.queue = await api(`/api/queue?${params}`);
}

const applyFilters = debounce(async () => {
  try {
    await refreshQueue();
    const list = entries();
    if (!list.find((e) => e.doc === S.docId && e.id === S.cur) && list.length) await selectEntry(list[0]);
    else renderList();
  } catch (err) { say(err.message, true); }
}, 120);

function fillFilters() {
  const opt = (v, l, sel) => `<option value="${esc(v)}"${v === sel ? " selected" : ""}>${esc(l)}</option>`;
  $("#f-document").innerHTML = opt("", `Tất cả văn bản (${S.docs.length})`) + S.docs.map((d) =>
    opt(d.id, `${d.label} — ${d.tasks} nhiệm vụ, ${d.flagged} cần xem` + (d.conflicts ? `, ${d.conflicts} xung đột` : ""))).join("");
  $("#f-flag").innerHTML = opt("", "Mọi cảnh báo") + opt("low_confidence", FLAGS.low_confidence || "Độ tin cậy thấp") +
    Object.entries(FLAGS).filter(([k]) => k !== "unknown" && k !== "low_confidence").map(([k, l]) => opt(k, l)).join("");
  $("#f-area").innerHTML = opt("", "Mọi lĩnh vực") + Object.entries(AREAS).map(([k, l]) => opt(k, l)).join("");
}

async function start() {
  const labels = await api("/api/labels");
  AREAS = labels.areas; KINDS = labels.deadline_kinds; FIELD_NAMES = labels.fields;
  RECURRENCES = labels.recurrences; FLAGS = labels.flags; ERRORS = labels.errors;
  $("#who").value = localStorage.getItem("plantasks.who") || "";
  $("#who").addEventListener("change", (e) => localStorage.setItem("plantasks.who", e.target.value.trim()));
  S.docs = await api("/api/documents");
  fillFilters();
  for (const [sel, key, ev] of [["#f-document", "document", "change"], ["#f-flag", "flag", "change"], ["#f-area", "area", "change"],
    ["#f-agency", "agency", "input"], ["#filter", "q", "input"]]) {
    $(sel).addEventListener(ev, (e) => { S.filters[key] = e.target.value; applyFilters(); });
  }
  $("#tasks").addEventListener("click", (e) => { const li = e.target.closest("li"); if (li) selectEntry({ doc: li.dataset.doc, id: li.dataset.id }); });
  for (const box of ["#doc-conflicts", "#deleted-tasks"]) {
    $(box).addEventListener("click", (e) => { const id = e.target.dataset.withdraw; if (id) withdraw(Number(id)); });
  }
  $("#doc-order").addEventListener("change", (e) => { S.docOrder = e.target.checked; renderList(); });
  $("#save").addEventListener("click", save);
  $("#help-btn").addEventListener("click", () => toggleHelp());
  $("#help-close").addEventListener("click", () => toggleHelp(false));
  document.addEventListener("keydown", onKey);
  window.addEventListener("beforeunload", (e) => { if (dirty()) { e.preventDefault(); e.returnValue = ""; } });
  if (!S.docs.length) { $("#editor").innerHTML = '<p class="muted">Thư mục này chưa có kết quả trích xuất nào (DIR/*.json).</p>'; return; }
  await refreshQueue();
  const first = S.queue.items[0];
  await openDocument(first ? first.doc : S.docs[0].id, first && first.id);
}

function toggleHelp(show) {
  const h = $("#help");
  h.hidden = show === undefined ? !h.hidden : !show;
}

function onKey(e) {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); return; }
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
  if (e.key === "Escape") {
    if (!$("#help").hidden) toggleHelp(false);
    else if (typing) document.activeElement.blur();
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = {
    j: () => move(1), k: () => move(-1), a: toggleAccept, n: addTask, x: toggleDelete, "?": () => toggleHelp(),
    e: () => { const c = $("#f-content"); if (c) c.focus(); }, "/": () => $("#filter").focus(),
  };
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
}

start().catch((err) => say("Không tải được dữ liệu: " + err.message, true));
