#!/usr/bin/env python3
"""The instructor page in a real browser (headless Chromium through selenium and chromedriver).

    observer_browser.py --port PORT --token T --observer-token O --scenario ID --event EVENT [--screenshot PNG]

Starts a front end (client.py's run_session, streaming an idle pose) for a session of SCENARIO,
opens http://127.0.0.1:PORT/#token=O, picks the session from the list, waits until the page shows
the session progressing (tick numbers rising, the step list), clicks "Trigger EVENT", waits until
the page lists the event as fired, takes a screenshot, lets the front end end the session, and
prints one JSON object with what it saw (the test PracticumServerTests asserts on it).
"""
import argparse
import asyncio
import json
import os
import shutil
import sys
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import client  # noqa: E402


def browser():
    opts = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800", "--use-gl=swiftshader"]:
        opts.add_argument(a)
    for b in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]:
        if os.path.exists(b):
            opts.binary_location = b
            break
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(executable_path=driver), options=opts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--observer-token", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--event", required=True)
    ap.add_argument("--duration", type=float, default=25.0, help="seconds the front end streams")
    ap.add_argument("--screenshot")
    a = ap.parse_args()
    out = {}
    front = {}

    def run_front_end():
        front.update(asyncio.run(client.run_session("ws://127.0.0.1:%d/live" % a.port, a.token, a.scenario,
                                                    "browser-test", duration=a.duration, rate=90)))

    t = threading.Thread(target=run_front_end)
    t.start()
    d = browser()
    try:
        wait = WebDriverWait(d, 60)
        d.get("http://127.0.0.1:%d/#token=%s" % (a.port, a.observer_token))
        wait.until(EC.text_to_be_present_in_element((By.ID, "conn"), "connected"))
        item = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#sessions li")))
        out["listed"] = item.text
        item.click()
        wait.until(lambda d: d.find_element(By.ID, "state").get_attribute("data-tick"))
        first = int(d.find_element(By.ID, "state").get_attribute("data-tick"))
        time.sleep(1.0)
        wait.until(lambda d: int(d.find_element(By.ID, "state").get_attribute("data-tick")) > first)
        out["ticks_seen"] = [first, int(d.find_element(By.ID, "state").get_attribute("data-tick"))]
        out["steps"] = [li.get_attribute("data-state") for li in d.find_elements(By.CSS_SELECTOR, "#steps li")]
        button = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button.trigger[data-event='%s']" % a.event)))
        out["trigger_button"] = button.text
        button.click()
        fired = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#events li[data-kind='event_fired']")))
        out["fired"] = fired.text
        time.sleep(1.0)  # vitals and messages after the trigger, for the screenshot
        out["vitals"] = d.find_element(By.ID, "vitals").text
        out["canvas_nonblank"] = d.execute_script(
            "const c = document.getElementById('view'), g = c.getContext('2d');"
            "const px = g.getImageData(0, 0, c.width, c.height).data; let n = 0;"
            "for (let i = 3; i < px.length; i += 4) if (px[i]) n++; return n;") > 0
        if a.screenshot:
            d.save_screenshot(a.screenshot)
            out["screenshot"] = a.screenshot
    finally:
        d.quit()
        t.join(timeout=a.duration + 60)
    out["front_end"] = {"ended": (front.get("ended") or {}).get("reason"), "trace": front.get("trace"), "errors": front.get("errors")}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
