"""The search page in headless Chromium (Selenium + chromedriver), against a running `rsearch serve`.

Usage: page_test.py URL SCREENSHOT_DIR. Exit status 0 when every check holds; an AssertionError names the first that
does not. Called by Tests/RSearchTests/Server/BrowserTests.swift, which starts the server on a corpus holding the
seed report and a hostile one.
"""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

url, shots = sys.argv[1], sys.argv[2]
options = webdriver.ChromeOptions()
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 20)


def hits():
    return driver.find_elements(By.CSS_SELECTOR, ".hit")


try:
    driver.get(url)
    box = wait.until(ec.presence_of_element_located((By.ID, "q")))
    assert driver.switch_to.active_element == box, "the search box has the focus on load"

    # A query typed and entered: grouped hits, every match in <mark>, the query in the URL.
    box.send_keys("意识形态", Keys.ENTER)
    wait.until(lambda d: len(hits()) > 0)
    assert "q=%E6%84%8F%E8%AF%86%E5%BD%A2%E6%80%81" in driver.current_url, driver.current_url
    marks = driver.find_elements(By.CSS_SELECTOR, ".hit mark")
    assert marks and all(m.text == "意识形态" for m in marks), [m.text for m in marks[:5]]
    reports = driver.find_elements(By.CSS_SELECTOR, ".report h2")
    assert any("述职报告" in r.text for r in reports), [r.text for r in reports]
    assert "hits" in driver.find_element(By.ID, "status").text
    driver.save_screenshot(shots + "/desktop.png")

    # Keyboard: j selects the first hit, Enter opens its preview at the match, Esc closes it.
    driver.find_element(By.TAG_NAME, "body").send_keys("j")
    assert "current" in hits()[0].get_attribute("class")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
    preview = driver.find_element(By.ID, "preview")
    wait.until(lambda d: preview.is_displayed())
    assert preview.find_elements(By.CSS_SELECTOR, "mark"), "the preview marks the matches"
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait.until(lambda d: not preview.is_displayed())

    # "/" focuses the search box.
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    assert driver.switch_to.active_element == driver.find_element(By.ID, "q")

    # A hostile document: its <script> and <img onerror> are text, and nothing runs.
    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys("恶意测试", Keys.ENTER)
    wait.until(lambda d: "%E6%81%B6" in d.current_url and len(hits()) > 0)
    snippets = [h.find_element(By.CSS_SELECTOR, ".snippet").text for h in hits()]
    assert any("<script>" in s and "onerror" in s for s in snippets), snippets
    time.sleep(0.5)
    assert driver.execute_script("return window.__pwned === undefined"), "a document's script ran"
    assert not driver.find_elements(By.CSS_SELECTOR, "#results script, #results img"), "document text became elements"

    # Back: the first query, its URL and its hits again.
    driver.back()
    wait.until(lambda d: "%E6%84%8F" in d.current_url and d.find_element(By.ID, "q").get_attribute("value") == "意识形态")
    wait.until(lambda d: any(m.text == "意识形态" for m in d.find_elements(By.CSS_SELECTOR, ".hit mark")))

    # A phone's width: the layout holds (looked at in the screenshot).
    driver.set_window_size(390, 844)
    time.sleep(0.3)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, "no sideways scrolling on a phone: %d" % width
    driver.save_screenshot(shots + "/phone.png")
    print("page: ok")
finally:
    driver.quit()
