// acjwt workbench: vanilla JS over the server's JSON endpoints, no framework, no other host.
// Everything that comes from a token or the server is inserted with textContent (or as an
// attribute value), never parsed as HTML: a claim holding markup shows as that markup's text.
"use strict";

(function () {
  const QR_MAX_BYTES = 2953;
  const STORE_KEY = "acjwt.access_token";
  const SECTIONS = { jose: "JOSE", times: "Times", claims: "Altcraft claims", sdk: "SDK view" };
  const SVG_NS = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);

  // --- Small DOM helpers: text only. ------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  function toast(message) {
    const t = $("toast");
    t.textContent = message;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.textContent = ""; }, 2500);
  }

  // --- The access token: from the fragment, or asked once; kept for the tab. ------------
  function takeFragmentToken() {
    const hash = window.location.hash.replace(/^#/, "");
    if (!hash) return false;
    const params = new URLSearchParams(hash);
    const token = params.get("access_token");
    if (!token) return false;
    sessionStorage.setItem(STORE_KEY, token);
    // Out of the address bar and the history: the fragment is never sent, but it is shown.
    history.replaceState(null, "", window.location.pathname + window.location.search);
    return true;
  }
  function accessToken() {
    return sessionStorage.getItem(STORE_KEY);
  }

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || "HTTP " + status);
      this.status = status;
      this.code = error.code || "http_" + status;
      this.hint = error.hint || "";
    }
  }

  // One question for every request that met a 401 meanwhile.
  let asking = null, askedResolve = null;
  function askForAccessToken() {
    if (!asking) {
      $("access").hidden = false;
      $("access-input").focus();
      asking = new Promise((resolve) => { askedResolve = resolve; });
    }
    return asking;
  }

  async function api(method, path, body, contentType) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const headers = { Accept: "application/json" };
      const token = accessToken();
      if (token) headers.Authorization = "Bearer " + token;
      if (body !== undefined) headers["Content-Type"] = contentType || "text/plain";
      const response = await fetch(path, { method, headers, body, cache: "no-store" });
      let doc = null;
      try { doc = await response.json(); } catch (_) { doc = null; }
      if (response.status === 401) {
        if (token) {
          sessionStorage.removeItem(STORE_KEY);
          $("access-error").textContent = "The server refused that access token.";
        }
        await askForAccessToken();
        continue;
      }
      if (!response.ok) throw new ApiError(response.status, doc);
      return doc;
    }
    throw new ApiError(401, { error: { message: "no accepted access token" } });
  }
  function errorText(err) {
    if (err instanceof ApiError) {
      return err.code + ": " + err.message + (err.hint ? " (" + err.hint + ")" : "");
    }
    return String(err && err.message ? err.message : err);
  }

  // --- Copy, with the select-and-copy fallback for non-secure contexts. -------------------
  async function copyFrom(source, label) {
    const text = source.value !== undefined ? source.value : source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        toast(label + " copied");
        return;
      } catch (_) { /* fall through to selecting */ }
    }
    selectAll(source);
    let copied = false;
    try { copied = document.execCommand("copy"); } catch (_) { copied = false; }
    toast(copied ? label + " copied" : label + " selected: press Ctrl+C (or ⌘C) to copy");
  }
  function selectAll(node) {
    if (typeof node.select === "function") {
      node.focus();
      node.select();
      return;
    }
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function copyButton(source, label) {
    const button = el("button", { type: "button", class: "secondary copy-button", text: "Copy " + (label === "URL" ? label : label.toLowerCase()) });
    button.addEventListener("click", () => copyFrom(source, label));
    return button;
  }

  // --- Times. -----------------------------------------------------------------------------
  function human(seconds) {
    seconds = Math.abs(Math.round(seconds));
    const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    if (d) return d + "d " + h + "h";
    if (h) return h + "h " + m + "m";
    if (m) return m + "m " + s + "s";
    return s + "s";
  }
  function countdownText(exp) {
    const left = exp - Date.now() / 1000;
    return left > 0 ? "expires in " + human(left) : "expired " + human(left) + " ago";
  }
  function countdown(exp) {
    const node = el("span", { class: "countdown", "data-exp": String(exp) });
    node.textContent = countdownText(exp);
    return node;
  }
  setInterval(() => {
    for (const node of document.querySelectorAll("[data-exp]")) {
      const exp = Number(node.getAttribute("data-exp"));
      const text = countdownText(exp);
      if (node.textContent !== text) node.textContent = text;
      node.classList.toggle("error", exp <= Date.now() / 1000);
    }
  }, 1000);

  // --- QR codes, encoded by the server (POST /qr), drawn here as SVG. --------------------
  function qrFigure(text, caption) {
    const figure = el("figure", { class: "qr" });
    const bytes = new TextEncoder().encode(text).length;
    const captionNode = el("figcaption", { text: caption });
    if (bytes > QR_MAX_BYTES) {
      figure.append(el("p", {
        class: "qr-fallback",
        text: "No QR code: this is " + bytes + " bytes and a QR code holds at most " + QR_MAX_BYTES +
          ". Copy it instead" + (caption.startsWith("Token URL") ? "." : ", or scan the token URL's code."),
      }), captionNode);
      return figure;
    }
    const holder = el("div", { class: "qr-holder", text: "…" });
    figure.append(holder, captionNode);
    api("POST", "/qr", text).then((doc) => {
      clear(holder).append(qrSvg(doc, caption));
    }).catch((err) => {
      clear(holder).append(el("p", { class: "qr-fallback", text: "No QR code: " + errorText(err) }));
    });
    return figure;
  }
  function qrSvg(doc, label) {
    const quiet = 4, size = doc.size + 2 * quiet;
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "QR code: " + label);
    svg.setAttribute("shape-rendering", "crispEdges");
    // A whole number of pixels a module (at least 2, about 240 px in all, narrower on a phone):
    // a scaled, blurred module is what makes a camera miss a dense code.
    let scale = Math.max(2, Math.round(240 / size));
    while (scale > 1 && size * scale > window.innerWidth - 48) scale--;
    svg.style.width = size * scale + "px";
    svg.style.height = size * scale + "px";
    const background = document.createElementNS(SVG_NS, "rect");
    background.setAttribute("width", String(size));
    background.setAttribute("height", String(size));
    background.setAttribute("fill", "#fff");
    svg.append(background);
    let d = "";
    doc.rows.forEach((row, y) => {
      for (let x = 0; x < row.length; x++) {
        if (row[x] === "1") d += "M" + (x + quiet) + " " + (y + quiet) + "h1v1h-1z";
      }
    });
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "#000");
    svg.append(path);
    return svg;
  }

  // --- A minted token: countdown, copy, explain, QR codes. -------------------------------
  function tokenCard(doc, urlPath, title) {
    const card = el("div", { class: "token-card" });
    const meta = el("p", {},
      el("strong", { text: title }), " · " + doc.alg + (doc.kid ? " · kid " + doc.kid : "") + " · ",
      countdown(doc.exp));
    if (doc.defect) meta.append(" · defect ", el("span", { class: "code", text: doc.defect }));
    const area = el("textarea", { class: "token-text", readonly: "", rows: "4", "aria-label": title + ": token", spellcheck: "false" });
    area.value = doc.token;
    const url = window.location.origin + urlPath;
    const urlField = el("input", { class: "token-url", readonly: "", "aria-label": title + ": token URL" });
    urlField.value = url;
    const explainButton = el("button", { type: "button", class: "secondary", text: "Explain" });
    explainButton.addEventListener("click", () => {
      $("explain-input").value = doc.token;
      explainToken(doc.token);
      $("explain").scrollIntoView();
      $("explain-input").focus();
    });
    card.append(
      meta, area, copyButton(area, "Token"), explainButton,
      el("label", { text: "Token URL (GET it for a fresh token" + (accessToken() ? ", with the access token)" : ")") }),
      urlField, copyButton(urlField, "URL"),
      el("div", { class: "qrs" }, qrFigure(doc.token, "Token"), qrFigure(url, "Token URL")));
    if (/^(127\.|localhost$|\[::1\]$)/.test(window.location.hostname)) {
      card.append(el("p", {
        class: "muted lan-hint",
        text: "This URL names this machine's loopback: a phone cannot reach it. Start the server with " +
          "--listen 0.0.0.0:8787 (and an access token) and open this page at the LAN address; " +
          "the Android emulator reaches it at 10.0.2.2.",
      }));
    }
    // The label above belongs to the URL field.
    const id = "url-" + Math.random().toString(36).slice(2);
    urlField.id = id;
    card.querySelector("label").setAttribute("for", id);
    return card;
  }
  function show(container, node) {
    clear(container).append(node);
  }

  // --- Explain a pasted token: /explain, /decode and /verify. -----------------------------
  function kvList(target, object, options) {
    clear(target);
    for (const [key, value] of Object.entries(object || {})) {
      const dd = el("dd");
      const text = typeof value === "string" ? value : JSON.stringify(value);
      if (options && options.mask && options.mask.includes(key) && typeof value === "string") {
        const masked = "•".repeat(Math.min(12, value.length)) + " (" + value.length + " characters, hidden)";
        const span = el("span", { class: "rtoken-mask", text: masked });
        const reveal = el("button", { type: "button", class: "secondary reveal", "aria-pressed": "false", text: "Reveal" });
        reveal.addEventListener("click", () => {
          const shown = reveal.getAttribute("aria-pressed") === "true";
          span.textContent = shown ? masked : text;
          span.classList.toggle("rtoken-mask", shown);
          reveal.setAttribute("aria-pressed", shown ? "false" : "true");
          reveal.textContent = shown ? "Reveal" : "Hide";
        });
        dd.append(span, " ", reveal);
      } else if (options && options.times && typeof value === "number" && options.times[key]) {
        const time = options.times[key];
        dd.append(String(value) + " = " + time.utc + " ");
        if (key === "exp") dd.append("(", countdown(value), ")");
        else dd.append("(" + time.relative + ")");
      } else {
        dd.textContent = text;
      }
      target.append(el("dt", { text: key }), dd);
    }
  }

  let explainSerial = 0;
  async function explainToken(text) {
    const serial = ++explainSerial;
    $("explain-error").textContent = "";
    let report, verdict, decoded = null, decodeError = null;
    try {
      [report, verdict] = await Promise.all([api("POST", "/explain", text), api("POST", "/verify", text)]);
      try { decoded = await api("POST", "/decode", text); } catch (err) { decodeError = err; }
    } catch (err) {
      $("explain-result").hidden = true;
      $("explain-error").textContent = errorText(err);
      return;
    }
    if (serial !== explainSerial) return;
    $("explain-result").hidden = false;

    const verdictNode = $("verdict");
    verdictNode.textContent = verdict.valid
      ? "Valid: signed by this server's key, and the platform's rules hold."
      : "Rejected: " + verdict.failures.length + " failure" + (verdict.failures.length === 1 ? "" : "s");
    verdictNode.className = "verdict " + (verdict.valid ? "ok" : "bad");
    const codes = clear($("verdict-codes"));
    for (const failure of verdict.failures) {
      codes.append(el("li", { class: "failure" }, el("span", { class: "code", text: failure.code }), " " + failure.message));
    }
    for (const warning of verdict.warnings || []) {
      const code = typeof warning === "string" ? "warning" : warning.code;
      const message = typeof warning === "string" ? warning : warning.message;
      codes.append(el("li", { class: "warning" }, el("span", { class: "code", text: code }), " " + message));
    }

    const expiry = clear($("explain-expiry"));
    if (decoded) {
      kvList($("explain-header"), decoded.header);
      kvList($("explain-claims"), decoded.claims, { mask: ["rtoken"], times: decoded.times });
      kvList($("explain-matching"), decoded.matching);
      if (typeof decoded.claims.exp === "number") expiry.append("This token ", countdown(decoded.claims.exp), ".");
    } else {
      for (const id of ["explain-header", "explain-claims", "explain-matching"]) clear($(id));
      expiry.textContent = "Cannot decode: " + errorText(decodeError);
    }

    const s = report.summary;
    $("explain-summary").textContent = s.pass + " passed, " + s.warn + " warnings, " + s.fail + " failed, " + s.skip + " skipped" +
      (report.matching_mode ? " · matching mode " + report.matching_mode : "");
    // Open when something needs attention; a clean token keeps its 20-odd passes folded.
    $("explain-details").open = s.fail > 0 || s.warn > 0;
    const findings = clear($("explain-findings"));
    let list = null, section = null;
    for (const check of report.checks) {
      if (check.section !== section) {
        section = check.section;
        findings.append(el("h4", { text: SECTIONS[section] || section }));
        list = el("ul", { class: "findings" });
        findings.append(list);
      }
      const mark = { pass: "✓", warn: "!", fail: "✗", skip: "-" }[check.status] || "?";
      // `name` is the check, `code` the finding's stable code (verify's), absent on a pass.
      const item = el("li", { class: check.status, "data-check": check.name, "data-code": check.code || "" },
        el("span", { class: "status", "aria-label": check.status, text: mark }),
        el("span", { class: "check-code", text: check.code ? check.name + " · " + check.code : check.name }),
        el("span", { class: "message", text: check.message }));
      // What the SDKs do with such a token: [{"sdk": "android", "error": 542}, ...].
      if (check.sdk && check.sdk.length) {
        item.append(el("span", { class: "fix", text: "sdk: " + check.sdk.map((e) => e.sdk + " " + e.error).join(", ") }));
      }
      if (check.fix) item.append(el("span", { class: "fix", text: "fix: " + check.fix }));
      list.append(item);
    }
  }

  // --- Users, modes, defects, snippets. ---------------------------------------------------
  let users = [];
  function matchingText(matching) {
    return Object.entries(matching).map(([k, v]) => k + "=" + (typeof v === "string" ? v : JSON.stringify(v))).join(", ");
  }
  function renderUsers() {
    const list = clear($("user-list"));
    if (!users.length) list.append(el("li", { class: "muted", text: "No users: start the server with --users FILE." }));
    for (const user of users) {
      const result = el("div", { class: "user-result" });
      const button = el("button", { type: "button", class: "mint-user", "data-user": user.name, text: "Mint a token for " + user.name });
      button.addEventListener("click", async () => {
        try {
          const doc = await api("GET", user.url);
          show(result, tokenCard(doc, user.url, user.name));
        } catch (err) {
          show(result, el("p", { class: "error", role: "alert", text: errorText(err) }));
        }
      });
      list.append(el("li", { class: "user", "data-user": user.name },
        el("div", { class: "user-name", text: user.name }),
        el("div", { class: "mono matching", text: matchingText(user.matching) }),
        el("div", { class: "muted", text: "ttl " + human(user.ttl) + " · GET " + user.url }),
        button, result));
    }
    for (const id of ["defect-user", "snippet-user"]) {
      const select = clear($(id));
      for (const user of users) select.append(el("option", { value: user.name, text: user.name }));
      if (!users.length) select.append(el("option", { value: "", text: "(no users)" }));
    }
    renderSnippets();
  }

  let modes = [];
  const FIELD_HINTS = {
    email: "e.g. alice@example.com",
    phone: "e.g. +79001234567",
    profile_id: "the platform's profile id",
    provider: "e.g. android-firebase, ios-apns",
    subscription_id: "the push provider's device token",
    field_name: "e.g. CRM_ID",
    field_value: "text, or a whole number",
  };
  function renderModeFields() {
    const mode = modes.find((m) => m.name === $("build-mode").value);
    const holder = clear($("build-fields"));
    if (!mode) return;
    $("build-mode-help").textContent = mode.description + " · needs " + mode.needs;
    for (const field of mode.fields) {
      const id = "build-" + field;
      holder.append(el("div", { class: "field" },
        el("label", { for: id, text: field + (mode.requires === "any" ? " (one of " + mode.fields.join(", ") + ")" : "") }),
        el("input", { id, name: field, autocomplete: "off", placeholder: FIELD_HINTS[field] || "" })));
      if (field === "field_value") {
        holder.append(el("div", { class: "field" },
          el("label", { for: "build-field_value_int" },
            el("input", { id: "build-field_value_int", type: "checkbox" }), " field_value is an integer")));
      }
    }
  }
  async function mintFromForm(event) {
    event.preventDefault();
    $("build-error").textContent = "";
    const mode = modes.find((m) => m.name === $("build-mode").value);
    const params = new URLSearchParams();
    params.set("mode", $("build-mode").value);
    const dbId = $("build-db_id").value.trim();
    if (dbId) params.set("db_id", dbId);
    for (const field of mode ? mode.fields : []) {
      const value = $("build-" + field).value;
      if (value.trim() === "") continue;
      const asInt = field === "field_value" && $("build-field_value_int") && $("build-field_value_int").checked;
      params.set(asInt ? "field_value_int" : field, value.trim());
    }
    const ttl = $("build-ttl").value.trim();
    if (ttl) params.set("ttl", ttl);
    const path = "/token?" + params.toString();
    try {
      const doc = await api("GET", path);
      show($("build-result"), tokenCard(doc, path, "mode " + params.get("mode")));
    } catch (err) {
      clear($("build-result"));
      $("build-error").textContent = errorText(err);
    }
  }
  function renderDefects(defects) {
    const list = clear($("defect-list"));
    for (const defect of defects) {
      const button = el("button", { type: "button", class: "mint-defect", "data-defect": defect.name, text: defect.name });
      button.addEventListener("click", async () => {
        $("defect-error").textContent = "";
        const user = $("defect-user").value;
        if (!user) { $("defect-error").textContent = "No user to mint for: start the server with --users FILE."; return; }
        const path = "/token/" + encodeURIComponent(user) + "?defect=" + encodeURIComponent(defect.name);
        try {
          const doc = await api("GET", path);
          show($("defect-result"), tokenCard(doc, path, user + " with defect " + defect.name));
        } catch (err) {
          clear($("defect-result"));
          $("defect-error").textContent = errorText(err);
        }
      });
      list.append(el("li", {}, button, el("span", { class: "code", text: defect.code }), " " + defect.description));
    }
  }

  function renderSnippets() {
    const user = $("snippet-user").value || "alice";
    const origin = window.location.origin;
    const url = origin + "/token/" + encodeURIComponent(user);
    const host = window.location.hostname;
    const emulator = /^(127\.|localhost$|\[::1\]$)/.test(host)
      ? url.replace("//" + window.location.host, "//10.0.2.2:" + (window.location.port || "80"))
      : url;
    const auth = !!accessToken();
    $("snippet-kotlin").textContent = [
      "import com.altcraft.sdk.interfaces.JWTInterface",
      "import java.net.HttpURLConnection",
      "import java.net.URL",
      "import org.json.JSONObject",
      "",
      "// Development only: a token from acjwt serve, cached until a minute before exp.",
      "// The SDK calls getJWT() off the main thread." + (emulator !== url ? " 10.0.2.2 is the emulator's host." : ""),
      "class DevJwtProvider(private val url: String = \"" + emulator + "\") : JWTInterface {",
      "    @Volatile private var cached: Pair<String, Long>? = null   // token, exp (unix seconds)",
      "",
      "    override fun getJWT(): String? {",
      "        cached?.let { (token, exp) -> if (exp - 60 > System.currentTimeMillis() / 1000) return token }",
      "        val connection = URL(url).openConnection() as HttpURLConnection",
      "        return try {",
      "            connection.setRequestProperty(\"Accept\", \"application/json\")",
      auth ? "            // The server's access token, e.g. a buildConfigField of the debug build type." : null,
      auth ? "            connection.setRequestProperty(\"Authorization\", \"Bearer \" + BuildConfig.ACJWT_ACCESS_TOKEN)" : null,
      "            if (connection.responseCode != 200) return null",
      "            val doc = JSONObject(connection.inputStream.bufferedReader().readText())",
      "            doc.getString(\"token\").also { cached = it to doc.getLong(\"exp\") }",
      "        } catch (e: java.io.IOException) {",
      "            null",
      "        } finally {",
      "            connection.disconnect()",
      "        }",
      "    }",
      "}",
    ].filter((line) => line !== null).join("\n");
    $("snippet-android-net").textContent = [
      "<!-- src/debug/res/xml/network_security_config.xml -->",
      "<network-security-config>",
      "    <domain-config cleartextTrafficPermitted=\"true\">",
      "        <domain includeSubdomains=\"false\">10.0.2.2</domain>",
      /^[0-9.]+$/.test(host) && !host.startsWith("127.") ? "        <domain includeSubdomains=\"false\">" + host + "</domain>" : null,
      "    </domain-config>",
      "</network-security-config>",
      "",
      "<!-- src/debug/AndroidManifest.xml -->",
      "<application android:networkSecurityConfig=\"@xml/network_security_config\" />",
    ].filter((line) => line !== null).join("\n");
    $("snippet-swift").textContent = [
      "import Altcraft",
      "import Foundation",
      "",
      "// Development only: a token from acjwt serve, cached until a minute before exp.",
      "// getToken() is synchronous, so the fetch waits on a semaphore (never call it on the main thread).",
      "final class DevJWTProvider: JWTInterface {",
      "    private let url = URL(string: \"" + url + "\")!",
      "    private let lock = NSLock()",
      "    private var cached: (token: String, exp: TimeInterval)?",
      auth ? "    // The server's access token, e.g. from the scheme's environment in development." : null,
      auth ? "    private let accessToken = ProcessInfo.processInfo.environment[\"ACJWT_ACCESS_TOKEN\"] ?? \"\"" : null,
      "",
      "    func getToken() -> String? {",
      "        lock.lock(); defer { lock.unlock() }",
      "        if let c = cached, c.exp - 60 > Date().timeIntervalSince1970 { return c.token }",
      "        var request = URLRequest(url: url)",
      "        request.setValue(\"application/json\", forHTTPHeaderField: \"Accept\")",
      auth ? "        request.setValue(\"Bearer \\(accessToken)\", forHTTPHeaderField: \"Authorization\")" : null,
      "        let done = DispatchSemaphore(value: 0)",
      "        var result: (token: String, exp: TimeInterval)?",
      "        URLSession.shared.dataTask(with: request) { data, response, _ in",
      "            defer { done.signal() }",
      "            guard (response as? HTTPURLResponse)?.statusCode == 200, let data,",
      "                  let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],",
      "                  let token = doc[\"token\"] as? String, let exp = doc[\"exp\"] as? TimeInterval",
      "            else { return }",
      "            result = (token, exp)",
      "        }.resume()",
      "        done.wait()",
      "        cached = result ?? cached",
      "        return result?.token",
      "    }",
      "}",
    ].filter((line) => line !== null).join("\n");
    $("snippet-ios-ats").textContent = [
      "<!-- Info.plist of the development build: lets the app reach this server over HTTP. -->",
      "<key>NSAppTransportSecurity</key>",
      "<dict>",
      "    <key>NSAllowsLocalNetworking</key>",
      "    <true/>",
      "</dict>",
    ].join("\n");
  }

  // --- Start. -----------------------------------------------------------------------------
  function wire() {
    // A URL with the fragment pasted into an open tab changes only the hash: no reload.
    window.addEventListener("hashchange", () => {
      if (!takeFragmentToken()) return;
      $("access").hidden = true;
      $("access-error").textContent = "";
      if (askedResolve) { const resolve = askedResolve; askedResolve = null; asking = null; resolve(); }
      renderSnippets();
    });
    $("access-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("access-input").value.trim();
      if (!value) { $("access-error").textContent = "Paste the access token first."; return; }
      sessionStorage.setItem(STORE_KEY, value);
      $("access-input").value = "";
      $("access-error").textContent = "";
      $("access").hidden = true;
      if (askedResolve) { const resolve = askedResolve; askedResolve = null; asking = null; resolve(); }
    });
    $("explain-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("explain-input").value.trim();
      if (!text) { $("explain-error").textContent = "Paste a token first."; return; }
      explainToken(text);
    });
    $("explain-input").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        $("explain-form").requestSubmit();
      }
    });
    $("build-mode").addEventListener("change", renderModeFields);
    $("build-form").addEventListener("submit", mintFromForm);
    $("snippet-user").addEventListener("change", renderSnippets);
    for (const button of document.querySelectorAll("button[data-copy]")) {
      button.addEventListener("click", () => copyFrom($(button.getAttribute("data-copy")), "Snippet"));
    }
  }

  async function start() {
    takeFragmentToken();
    wire();
    renderSnippets();
    try {
      const health = await fetch("/healthz", { headers: { Accept: "application/json" } }).then((r) => r.json());
      $("server-info").textContent = window.location.origin + " · signs " + health.alg + (health.kid ? " · kid " + health.kid : "");
    } catch (err) {
      $("server-info").textContent = "The server does not answer /healthz: " + errorText(err);
    }
    try {
      const [userDoc, modeDoc] = await Promise.all([api("GET", "/users"), api("GET", "/modes")]);
      users = userDoc.users;
      modes = modeDoc.modes;
      const select = clear($("build-mode"));
      for (const mode of modes) select.append(el("option", { value: mode.name, text: mode.name + " (" + mode.needs + ")" }));
      renderModeFields();
      renderUsers();
      renderDefects(modeDoc.defects);
      document.body.setAttribute("data-ready", "true");
    } catch (err) {
      $("users-error").textContent = errorText(err);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
