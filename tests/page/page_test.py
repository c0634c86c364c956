"""Drives the workbench page of a running `acjwt serve` in Debian's headless Chromium.

Run by tests/page.rs with the peers venv's python (selenium and PyJWT):

    page_test.py main   BASE_URL OUT_DIR HTML_TOKEN RTOKEN
    page_test.py access BASE_URL OUT_DIR ACCESS_TOKEN

Prints one `PASS <check>` line per check and exits 0, or prints `FAIL <check>: <why>` and
exits 1 at the first failure. Waits are generous upper bounds, never timed assertions. Only
loopback traffic: the driver and the browser are the system's (no download), and the browser
runs with background networking, component updates and sync off; the test fails if the page
asks for anything outside BASE_URL.
"""

import json
import os
import shutil
import struct
import sys
import tempfile
import traceback
import urllib.request
import zlib

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

import jwt
import zxingcpp

WAIT = 60


class Failed(Exception):
    pass


def check(name, condition, why=""):
    if not condition:
        raise Failed(f"{name}: {why}")
    print(f"PASS {name}", flush=True)


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-features=Translate,OptimizationHints,MediaRouter",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service("/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def wait(driver, what, predicate):
    try:
        # A card replaced by a newer one mid-poll is a retry, not a failure.
        return WebDriverWait(driver, WAIT, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: predicate(d))
    except Exception as err:
        raise Failed(f"waiting for {what}: {type(err).__name__}") from None


def ready(driver):
    wait(driver, "the page to load users and modes",
         lambda d: d.execute_script("return document.body.getAttribute('data-ready')") == "true")


def user_item(driver, name):
    return driver.find_element(By.CSS_SELECTOR, f"#user-list li.user[data-user='{name}']")


def mint_user(driver, name):
    item = user_item(driver, name)
    item.find_element(By.CSS_SELECTOR, "button.mint-user").click()
    area = wait(driver, f"a token for {name}",
                lambda d: (lambda els: els[0] if els and els[0].get_attribute("value") else None)(
                    item.find_elements(By.CSS_SELECTOR, ".token-card textarea.token-text")))
    return item, area.get_attribute("value")


def png_pixels(data):
    """Width, height, channels and the unfiltered rows of an 8-bit non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = ihdr
    assert depth == 8 and interlace == 0 and color in (2, 6), ihdr
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray(height * stride)
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return width, height, channels, bytes(out)


def scan(element):
    """The texts of the QR codes in a screenshot of `element`, read by zxing-cpp."""
    width, height, channels, pixels = png_pixels(element.screenshot_as_png)
    grey = bytes(pixels[i] for i in range(0, len(pixels), channels))
    return [r.text for r in zxingcpp.read_barcodes(memoryview(grey).cast("B", (height, width)))]


def wait_qr(driver, container, count):
    wait(driver, f"{count} QR codes", lambda d: len(container.find_elements(By.CSS_SELECTOR, "figure.qr svg")) >= count)


def explain(driver, text):
    box = driver.find_element(By.ID, "explain-input")
    box.clear()
    # send_keys of a long token is slow; set the value, then type one key so the page sees input.
    driver.execute_script("arguments[0].value = arguments[1];", box, text)
    box.send_keys(Keys.END)
    driver.execute_script("document.getElementById('explain-summary').textContent = '';")
    # Ctrl+Enter submits from the keyboard.
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(driver, "the explanation",
         lambda d: d.find_element(By.ID, "explain-summary").text != "" or d.find_element(By.ID, "explain-error").text != "")


def verdict_codes(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#verdict-codes li.failure .code")]


def screenshots(driver, out, label, max_height):
    os.makedirs(out, exist_ok=True)
    for scheme in ["light", "dark"]:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
        for form, width, mobile in [("desktop", 1280, False), ("phone", 390, True)]:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})
            height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, arguments[0])", max_height[form])
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
            scheme_seen = driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
            if scheme_seen != (scheme == "dark"):
                raise Failed(f"screenshot {scheme}: the emulated colour scheme did not apply")
            overflow = driver.execute_script("""
                if (document.documentElement.scrollWidth > window.innerWidth + 1) return ['the page'];
                const out = [];
                for (const card of document.querySelectorAll('.card')) {
                  const right = card.getBoundingClientRect().right + 1;
                  for (const e of card.querySelectorAll('*')) {
                    if (e.closest('pre') || e.closest('[hidden]') || e.closest('details:not([open])')) continue;
                    if (e.getBoundingClientRect().right > right) out.push(card.id + ' ' + e.tagName + '.' + e.className);
                  }
                }
                return out.slice(0, 5);""")
            if overflow:
                raise Failed(f"layout at {width}px: wider than its card: {overflow}")
            path = os.path.join(out, f"{label}-{scheme}-{form}.png")
            driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    print(f"PASS screenshots_light_dark_desktop_phone", flush=True)


def logs_clean(driver, base, allowed):
    """No SEVERE console entry except the expected HTTP errors; no request off BASE_URL."""
    severe = []
    for entry in driver.get_log("browser"):
        if entry["level"] != "SEVERE":
            continue
        message = entry["message"]
        if any(url in message and f"status of {status}" in message for url, status in allowed):
            continue
        severe.append(message)
    check("no_console_errors", not severe, json.dumps(severe))
    requested = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    # chrome:// is the browser's own start page, not the network; any network URL must be ours.
    network = [u for u in requested if u.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")]
    foreign = [u for u in network if not u.startswith(base + "/")]
    check("requests_only_to_the_server", network and not foreign,
          f"{len(network)} network requests, off the server: {foreign}")
    return requested


def labelled(driver):
    unlabelled = driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea')]
          .filter(e => e.offsetParent !== null || e.closest('[hidden]') === null)
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
          .map(e => e.id || e.outerHTML.slice(0, 60));""")
    check("every_input_is_labelled", not unlabelled, str(unlabelled))


def main(base, out, html_token, rtoken):
    profile = tempfile.mkdtemp(prefix="acjwt-chromium-")
    driver = browser(profile)
    try:
        driver.get(base + "/")
        ready(driver)
        names = [e.get_attribute("data-user") for e in driver.find_elements(By.CSS_SELECTOR, "#user-list li.user")]
        check("users_listed", sorted(names) == ["alice", "crm", "device"], str(names))
        alice = user_item(driver, "alice")
        check("user_matching_shown", "email=alice.private@example.com" in alice.text, alice.text)

        item, token = mint_user(driver, "alice")
        header = jwt.get_unverified_header(token)
        jwks = jwt.PyJWKClient(base + "/.well-known/jwks.json")
        key = jwks.get_signing_key_from_jwt(token)
        claims = jwt.decode(token, key.key, algorithms=[header["alg"]], options={"require": ["exp"]})
        check("minted_token_verifies_with_pyjwt_and_the_jwks",
              claims["rtoken"] == rtoken and json.loads(claims["matching"])["email"] == "alice.private@example.com",
              str(claims))
        countdown = item.find_element(By.CSS_SELECTOR, ".token-card .countdown").text
        check("countdown_shown", countdown.startswith("expires in "), countdown)
        wait(driver, "the countdown to tick",
             lambda d: item.find_element(By.CSS_SELECTOR, ".token-card .countdown").text != countdown)
        check("countdown_is_live", True)
        wait_qr(driver, item, 2)
        url_value = item.find_element(By.CSS_SELECTOR, ".token-url").get_attribute("value")
        check("token_url_shown", url_value == base + "/token/alice", url_value)
        codes = [scan(svg) for svg in item.find_elements(By.CSS_SELECTOR, "figure.qr svg")]
        check("qr_codes_scan_as_the_token_and_its_url", codes == [[token], [url_value]], str(codes))

        # Copy without the Clipboard API (a phone on http://192.168.x.x): the token gets selected.
        driver.execute_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined, configurable: true});")
        item.find_element(By.CSS_SELECTOR, ".token-card button.copy-button").click()
        selected = driver.execute_script("""
            const a = document.activeElement;
            return a && a.classList.contains('token-text') && a.selectionStart === 0 && a.selectionEnd === a.value.length;""")
        toast = wait(driver, "the copy message", lambda d: d.find_element(By.ID, "toast").text)
        check("copy_falls_back_to_selecting", selected and ("copied" in toast or "selected" in toast), toast)

        # From the keyboard: Tab reaches the next user's mint button, and Enter presses it.
        crm = user_item(driver, "crm")
        crm_button = crm.find_element(By.CSS_SELECTOR, "button.mint-user")
        driver.execute_script("arguments[0].focus()", item.find_element(By.CSS_SELECTOR, "button.mint-user"))
        for _ in range(40):
            if driver.switch_to.active_element == crm_button:
                break
            driver.switch_to.active_element.send_keys(Keys.TAB)
        focused = driver.switch_to.active_element == crm_button
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait(driver, "a token for crm from the keyboard",
             lambda d: crm.find_elements(By.CSS_SELECTOR, ".token-card textarea.token-text"))
        check("keyboard_tab_and_enter_mint", focused)

        # A good token, pasted as a whole Authorization line.
        explain(driver, "Authorization: Bearer " + token)
        verdict = driver.find_element(By.ID, "verdict").text
        check("explain_accepts_an_authorization_line", verdict.startswith("Valid"), verdict)
        sections = [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, "#explain-findings h4")]
        check("clean_token_folds_its_findings", not driver.find_element(By.ID, "explain-details").get_attribute("open"))
        check("findings_grouped_as_explain_groups_them",
              sections == ["JOSE", "Times", "Altcraft claims", "SDK view"], str(sections))
        claims_box = driver.find_element(By.ID, "explain-claims")
        check("rtoken_masked", rtoken not in claims_box.text and "hidden" in claims_box.text, claims_box.text)
        claims_box.find_element(By.CSS_SELECTOR, "button.reveal").click()
        check("rtoken_revealed_on_request", rtoken in claims_box.text, claims_box.text)
        matching = driver.find_element(By.ID, "explain-matching").text
        check("matching_object_unpacked", "alice.private@example.com" in matching and "db_id" in matching, matching)
        expiry = driver.find_element(By.ID, "explain-expiry").text
        check("live_expiry", "expires in" in expiry, expiry)

        # A tampered token: one character of the signature changed.
        head, payload, signature = token.split(".")
        middle = len(signature) // 2
        flipped = "A" if signature[middle] != "A" else "B"
        tampered = ".".join([head, payload, signature[:middle] + flipped + signature[middle + 1:]])
        explain(driver, tampered)
        codes = verdict_codes(driver)
        fix = driver.find_elements(By.CSS_SELECTOR, "#explain-findings li.fail[data-check='signature'][data-code='bad_signature'] .fix")
        check("tampered_token_shows_bad_signature", codes == ["bad_signature"] and fix and fix[0].text.startswith("fix: "),
              f"{codes} {[f.text for f in fix]}")

        # HTML in the claims shows as text: no element, no alert.
        explain(driver, html_token)
        iss = [dd.text for dt, dd in zip(driver.find_elements(By.CSS_SELECTOR, "#explain-claims dt"),
                                         driver.find_elements(By.CSS_SELECTOR, "#explain-claims dd")) if dt.text == "iss"]
        images = driver.execute_script("return document.querySelectorAll('img').length")
        try:
            driver.switch_to.alert
            alert = True
        except NoAlertPresentException:
            alert = False
        check("html_in_claims_shows_as_text",
              iss == ["<img src=x onerror=alert(1)>"] and images == 0 and not alert,
              f"iss={iss} img={images} alert={alert}")

        # The mode form: the server refuses a missing field, and the fields follow the mode.
        Select(driver.find_element(By.ID, "build-mode")).select_by_value("email")
        db_id = driver.find_element(By.ID, "build-db_id")
        db_id.clear()
        db_id.send_keys("2")
        driver.find_element(By.ID, "build-email").clear()
        driver.find_element(By.CSS_SELECTOR, "#build-form button[type=submit]").click()
        error = wait(driver, "the form's error", lambda d: d.find_element(By.ID, "build-error").text)
        check("mode_form_refuses_a_missing_field",
              "missing_parameter" in error and "email" in error
              and not driver.find_elements(By.CSS_SELECTOR, "#build-result .token-card"), error)
        Select(driver.find_element(By.ID, "build-mode")).select_by_value("push_sub")
        fields = [e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, "#build-fields input")]
        check("mode_form_fields_follow_the_mode", fields == ["build-provider", "build-subscription_id"], str(fields))
        driver.find_element(By.ID, "build-provider").send_keys("ios-apns")
        driver.find_element(By.ID, "build-subscription_id").send_keys("apns-device-1")
        driver.find_element(By.ID, "build-subscription_id").send_keys(Keys.ENTER)
        built = wait(driver, "a token from the form",
                     lambda d: (lambda els: els[0].get_attribute("value") if els else None)(
                         d.find_elements(By.CSS_SELECTOR, "#build-result textarea.token-text")))
        built_claims = jwt.decode(built, key.key, algorithms=[header["alg"]])
        check("mode_form_mints", json.loads(built_claims["matching"]) ==
              {"db_id": 2, "matching": "push_sub", "provider": "ios-apns", "subscription_id": "apns-device-1"},
              built_claims["matching"])

        # A dense code: a 2.4 KB token, and a 1.6 KB token URL, still read back.
        Select(driver.find_element(By.ID, "build-mode")).select_by_value("custom")
        driver.find_element(By.ID, "build-field_name").send_keys("NOTE")
        driver.execute_script("document.getElementById('build-field_value').value = 'x'.repeat(1500)")
        driver.find_element(By.CSS_SELECTOR, "#build-form button[type=submit]").click()
        result = driver.find_element(By.ID, "build-result")
        dense = wait(driver, "a long token from the form",
                     lambda d: (lambda els: els[0].get_attribute("value") if els and len(els[0].get_attribute("value")) > 2000 else None)(
                         result.find_elements(By.CSS_SELECTOR, "textarea.token-text")))
        wait_qr(driver, result, 2)
        dense_url = result.find_element(By.CSS_SELECTOR, ".token-url").get_attribute("value")
        codes = [scan(svg) for svg in result.find_elements(By.CSS_SELECTOR, "figure.qr svg")]
        check("dense_qr_codes_scan", codes == [[dense], [dense_url]], f"{len(dense)} bytes: {[[len(t) for t in c] for c in codes]}")

        # The defects, one click away; the oversized token gets the QR fallback.
        defects = [e.get_attribute("data-defect") for e in driver.find_elements(By.CSS_SELECTOR, "#defect-list button")]
        check("defects_listed", defects == ["expired", "matching_object", "missing_db_id", "oversized", "bad_signature"], str(defects))
        lines = driver.find_element(By.ID, "defect-list").text
        check("defects_say_what_the_app_should_do", "fetch a fresh token" in lines, lines)
        driver.find_element(By.CSS_SELECTOR, "#defect-list button[data-defect='oversized']").click()
        fallback = wait(driver, "the oversized token", lambda d: d.find_elements(By.CSS_SELECTOR, "#defect-result .qr-fallback"))
        result = driver.find_element(By.ID, "defect-result")
        wait_qr(driver, result, 1)
        check("oversized_token_gets_the_qr_fallback", "at most 2953" in fallback[0].text, fallback[0].text)
        driver.find_element(By.CSS_SELECTOR, "#defect-list button[data-defect='expired']").click()
        expired = wait(driver, "the expired token", lambda d: d.execute_script("""
            const card = document.querySelector('#defect-result .token-card');
            const code = card && card.querySelector('.code');
            return code && code.textContent === 'expired' ? card.querySelector('.countdown').textContent : null;"""))
        check("expired_defect_counts_up", expired.startswith("expired ") and expired.endswith(" ago"), expired)
        driver.find_element(By.CSS_SELECTOR, "#defect-list button[data-defect='bad_signature']").click()
        wait(driver, "the bad_signature token",
             lambda d: "bad_signature" in d.find_element(By.ID, "defect-result").text)
        result = driver.find_element(By.ID, "defect-result")
        result.find_element(By.XPATH, ".//button[text()='Explain']").click()
        wait(driver, "the defect's explanation", lambda d: verdict_codes(d) == ["bad_signature"])
        check("defect_token_explained", True)

        # The app snippets point at this server.
        kotlin = driver.find_element(By.ID, "snippet-kotlin").text
        swift = driver.find_element(By.ID, "snippet-swift").text
        port = base.rsplit(":", 1)[1]
        check("snippets_point_at_this_server",
              f"http://10.0.2.2:{port}/token/alice" in kotlin and "override fun getJWT(): String?" in kotlin
              and "import com.altcraft.sdk.interfaces.JWTInterface" in kotlin and "import Altcraft" in swift
              and f"{base}/token/alice" in swift and "func getToken() -> String?" in swift,
              kotlin + swift)
        labelled(driver)

        # Back to a clean, full page for the screenshots: alice minted, her token explained.
        driver.get(base + "/")
        ready(driver)
        _, token = mint_user(driver, "alice")
        wait_qr(driver, user_item(driver, "alice"), 2)
        explain(driver, token)
        screenshots(driver, out, "page", {"desktop": 1700, "phone": 2600})

        logs_clean(driver, base, [(base + "/token?mode=email&db_id=2", 400)])
    finally:
        driver.quit()
        # Chromium's profile holds the page's sessionStorage, the access token included.
        shutil.rmtree(profile, ignore_errors=True)


def access(base, out, access_token):
    profile = tempfile.mkdtemp(prefix="acjwt-chromium-")
    driver = browser(profile)
    try:
        # No token: the API refuses, so the page asks for it.
        driver.get(base + "/")
        wait(driver, "the access-token form", lambda d: d.find_element(By.ID, "access").is_displayed())
        check("page_asks_for_the_access_token", True)
        box = driver.find_element(By.ID, "access-input")
        box.send_keys(access_token)
        box.send_keys(Keys.ENTER)
        ready(driver)
        check("access_token_typed_once_lists_users",
              len(driver.find_elements(By.CSS_SELECTOR, "#user-list li.user")) == 3
              and not driver.find_element(By.ID, "access").is_displayed())

        # From the fragment, in a fresh tab's storage.
        driver.execute_script("sessionStorage.clear()")
        driver.get(base + "/#access_token=" + access_token)
        ready(driver)
        state = driver.execute_script("return [location.hash, sessionStorage.getItem('acjwt.access_token')]")
        check("fragment_token_kept_for_the_tab_and_cleared_from_the_url",
              state == ["", access_token], str(state))
        item, token = mint_user(driver, "alice")
        wait_qr(driver, item, 2)
        check("mint_and_qr_with_the_access_token", token.count(".") == 2)
        driver.get(base + "/")
        ready(driver)
        check("token_survives_a_reload_of_the_tab", not driver.find_element(By.ID, "access").is_displayed())
        snippets = driver.find_element(By.ID, "snippet-kotlin").text + driver.find_element(By.ID, "snippet-swift").text
        check("snippets_send_the_access_token_without_embedding_it",
              snippets.count("Authorization") == 2 and access_token not in snippets, snippets)

        requested = logs_clean(driver, base, [(base + "/users", 401), (base + "/modes", 401)])
        check("the_fragment_never_reaches_the_server", not any(access_token in u.split("#")[0] for u in requested),
              str(requested))
        # And the server refuses the API without it (the page's files need none).
        request = urllib.request.Request(base + "/users")
        try:
            urllib.request.urlopen(request)
            refused = False
        except urllib.error.HTTPError as err:
            refused = err.code == 401
        check("api_needs_the_token_static_files_do_not",
              refused and urllib.request.urlopen(base + "/app.js").status == 200)
    finally:
        driver.quit()
        # Chromium's profile holds the page's sessionStorage, the access token included.
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    try:
        if sys.argv[1] == "main":
            main(*sys.argv[2:6])
        elif sys.argv[1] == "access":
            access(*sys.argv[2:5])
        else:
            raise Failed("usage: page_test.py main|access ...")
    except Failed as err:
        print(f"FAIL {err}", flush=True)
        sys.exit(1)
    except Exception:
        print("FAIL unexpected error", flush=True)
        traceback.print_exc()
        sys.exit(1)
