// Progressive enhancement only: every page works without this file.
"use strict";

// The page's language is the <html lang>; the script's few words follow it.
const VI = {
  "Sending…": "Đang gửi…", "Reading the documents…": "Đang đọc văn bản…", "Not accepted:": "Không nhận:",
  "The upload was interrupted; try again.": "Việc tải lên bị ngắt; hãy thử lại.",
  "The server refused the upload": "Máy chủ từ chối tệp tải lên", "Reload the page and try again.": "Hãy tải lại trang và thử lại.",
  "Open the document": "Mở văn bản", "Done.": "Xong.", "Lost contact with the server; reload the page.":
    "Mất kết nối với máy chủ; hãy tải lại trang.",
  "added": "đã thêm", "replaced": "đã thay bản cũ", "skipped": "bỏ qua", "failed": "không đọc được",
  "queued": "đang chờ", "parsing": "đang đọc", "refused": "bị từ chối", "unchanged": "không đổi",
  "superseded": "đã có bản mới hơn",
  "document": "văn bản", "clause": "nhiệm vụ", "body": "cơ quan", "directive": "văn bản viện dẫn",
};
const t = (words) => (document.documentElement.lang === "vi" && VI[words]) || words;

function uploadWithProgress(form) {
  const box = document.getElementById("progress");
  const bar = document.getElementById("upload-bar");
  const text = document.getElementById("progress-text");
  const list = document.getElementById("job-files");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    box.hidden = false;
    text.textContent = t("Sending…");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      let answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
      if (xhr.status === 202 && answer) {
        text.textContent = t("Reading the documents…");
        bar.removeAttribute("value");  // indeterminate while the parser works
        poll(answer.status_url);
      } else if (answer && answer.files) {
        text.textContent = t("Not accepted:");
        show(answer.files.map((message) => ({ status: "failed", message: message })));
      } else {
        text.textContent = xhr.status === 413 ? xhr.responseText
          : t("The server refused the upload") + " (" + xhr.status + "). " + t("Reload the page and try again.");
      }
    });
    xhr.addEventListener("error", () => { text.textContent = t("The upload was interrupted; try again."); });
    xhr.send(new FormData(form));
  });

  function show(files) {
    list.replaceChildren(...files.map((f) => {
      const li = document.createElement("li");
      li.className = f.status;
      const strong = document.createElement("strong");
      strong.textContent = t(f.status) + " ";
      li.append(strong, document.createTextNode(f.message || f.name));
      if (f.url) {
        const a = document.createElement("a");
        a.href = f.url;
        a.className = "open-document";
        a.textContent = t("Open the document");
        li.append(" ", a);
      }
      return li;
    }));
  }

  function poll(url) {
    fetch(url, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((job) => {
        show(job.files);
        if (job.done) {
          bar.value = 100;
          text.textContent = t("Done.");
        } else {
          setTimeout(() => poll(url), 700);
        }
      })
      .catch(() => { text.textContent = t("Lost contact with the server; reload the page."); });
  }
}

const COLOURS = { document: "#5b6770", clause: "#2f6db5", body: "#1f6b42", directive: "#9a4322" };

function drawGraph(container) {
  const data = document.getElementById("graph-data");
  if (!data || typeof cytoscape === "undefined") return;
  const detail = document.getElementById("graph-detail");
  const cy = cytoscape({
    container: container,
    elements: JSON.parse(data.textContent),
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "text-wrap": "ellipsis", "text-max-width": 140,
        "color": "#1d2329", "text-background-color": "#ffffff", "text-background-opacity": 0.85,
        "text-background-padding": 1, "min-zoomed-font-size": 7,
        "background-color": (n) => COLOURS[n.data("type")] || "#888", "width": 14, "height": 14 } },
      // Bodies, documents and directives are few and named: their labels always show; a task's
      // label shows once zoomed in far enough to read it.
      { selector: "node[type = 'body']", style: { "shape": "round-rectangle", "width": 22, "height": 22,
        "font-size": 13, "font-weight": "bold", "min-zoomed-font-size": 0 } },
      { selector: "node[type = 'directive']", style: { "shape": "diamond", "width": 20, "height": 20,
        "font-size": 12, "min-zoomed-font-size": 0 } },
      { selector: "node[type = 'document']", style: { "shape": "rectangle", "width": 26, "height": 26,
        "font-size": 13, "font-weight": "bold", "min-zoomed-font-size": 0 } },
      { selector: "edge", style: { "width": 1, "line-color": "#bbb", "target-arrow-shape": "triangle",
        "target-arrow-color": "#bbb", "curve-style": "bezier", "arrow-scale": 0.6 } },
      { selector: "edge[role = 'support']", style: { "line-style": "dashed" } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#f2b705" } },
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 60 },
  });
  cy.on("tap", "node", (event) => {
    const n = event.target;
    detail.textContent = t(n.data("type")) + ": " + n.data("title");
  });
  window.nqgraphCy = cy;  // lets the browser test check the drawing
}

// app.js loads before cytoscape.min.js (both deferred, in document order), so wait for "load".
window.addEventListener("load", () => {
  const form = document.getElementById("upload-form");
  if (form && window.FormData && window.XMLHttpRequest) uploadWithProgress(form);
  const graph = document.getElementById("graph");
  if (graph) drawGraph(graph);
});
