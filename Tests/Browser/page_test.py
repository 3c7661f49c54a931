"""The search page in headless Chromium (Selenium + chromedriver), against a running `rsearch serve`.

Usage: page_test.py URL SCREENSHOT_DIR. Exit status 0 when every check holds; an AssertionError names the first that
does not; the page's time to first results is printed. Called by Tests/RSearchTests/Server/BrowserTests.swift, which
starts the server on a corpus holding the seed report, the national 政府工作报告 and a hostile report.
"""
import sys
import time
from urllib.parse import parse_qs, urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
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
# A hit re-rendered while a condition reads it is read again, not a failure.
wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))


def hits():
    return driver.find_elements(By.CSS_SELECTOR, ".hit")


def body():
    return driver.find_element(By.TAG_NAME, "body")


def params():
    return parse_qs(urlparse(driver.current_url).query)


try:
    # A fresh load of a search's URL: its time to first results, as the page records it.
    driver.get(url + "?q=%E6%84%8F%E8%AF%86%E5%BD%A2%E6%80%81")
    wait.until(lambda d: d.execute_script("return document.body.dataset.firstResults"))
    first = float(driver.execute_script("return document.body.dataset.firstResults"))
    print("first results: %.0f ms after navigation" % first)

    driver.get(url)
    box = wait.until(ec.presence_of_element_located((By.ID, "q")))
    assert driver.switch_to.active_element == box, "the search box has the focus on load"

    # A query typed and entered: grouped hits, every match in <mark>, the query in the URL.
    box.send_keys("意识形态", Keys.ENTER)
    wait.until(lambda d: len(hits()) > 0)
    assert params().get("q") == ["意识形态"], driver.current_url
    marks = driver.find_elements(By.CSS_SELECTOR, ".hit mark")
    assert marks and all(m.text == "意识形态" for m in marks), [m.text for m in marks[:5]]
    reports = driver.find_elements(By.CSS_SELECTOR, ".report h2")
    assert any("述职报告" in r.text for r in reports), [r.text for r in reports]
    assert "hits" in driver.find_element(By.ID, "status").text
    assert "format=csv" in driver.find_element(By.ID, "export-csv").get_attribute("href")
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#histogram button")) > 1)
    driver.save_screenshot(shots + "/desktop.png")

    # A year in the histogram: the URL and every report shown have it; its chip removes it.
    bars = driver.find_elements(By.CSS_SELECTOR, "#histogram button")
    year = bars[0].get_attribute("data-year")
    bars[0].click()
    wait.until(lambda d: params().get("year") == [year])
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".chip") and len(hits()) > 0
               and all(m.text.startswith(year) for m in d.find_elements(By.CSS_SELECTOR, ".report .meta")))
    assert "active" in driver.find_element(By.CSS_SELECTOR, "#histogram button[data-year='%s']" % year).get_attribute("class")
    driver.find_element(By.CSS_SELECTOR, ".chip[data-filter='year']").click()
    wait.until(lambda d: "year" not in params() and not d.find_elements(By.CSS_SELECTOR, ".chip"))
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".report")) > 1)

    # Keyboard: j selects the first hit, Enter opens the preview at its section, the match current and counted.
    body().send_keys("j")
    assert "current" in hits()[0].get_attribute("class")
    where = hits()[0].find_element(By.CSS_SELECTOR, ".where").text
    body().send_keys(Keys.ENTER)
    preview = driver.find_element(By.ID, "preview")
    wait.until(lambda d: preview.is_displayed() and d.find_elements(By.CSS_SELECTOR, "#preview-text mark.current"))
    assert params().get("section") and params().get("open"), driver.current_url
    current = driver.find_element(By.CSS_SELECTOR, "#preview-text mark.current")
    assert current.text == "意识形态"
    section = current.find_element(By.XPATH, "ancestor::section[1]")
    number = section.get_attribute("data-section")
    assert params().get("section") == [number], (params(), number)
    assert section.find_element(By.CSS_SELECTOR, ".path").text == where, (section.find_element(By.CSS_SELECTOR, ".path").text, where)
    counter = driver.find_element(By.ID, "counter").text
    at, total = map(int, counter.split("/"))
    assert total == len(driver.find_elements(By.CSS_SELECTOR, "#preview-text mark")) and 1 <= at <= total, counter
    assert driver.find_elements(By.CSS_SELECTOR, "#outline a"), "the outline beside the text"
    driver.save_screenshot(shots + "/preview.png")
    # n: the next match, counted (wrapping after the last).
    body().send_keys("n")
    wait.until(lambda d: d.find_element(By.ID, "counter").text == "%d/%d" % (at % total + 1, total))
    permalink = driver.find_element(By.ID, "permalink").get_attribute("href")
    assert "open=" in permalink and "section=%s" % number in permalink, permalink
    # Esc goes back to the hits, and the URL with them.
    body().send_keys(Keys.ESCAPE)
    wait.until(lambda d: not preview.is_displayed() and "open" not in params())
    # The permalink, opened anew, shows the same section with its match current.
    driver.get(permalink)
    wait.until(lambda d: d.find_element(By.ID, "preview").is_displayed()
               and d.find_elements(By.CSS_SELECTOR, "#preview-text section.here mark.current"))
    assert driver.find_element(By.CSS_SELECTOR, "#preview-text section.here").get_attribute("data-section") == number
    driver.back()
    wait.until(lambda d: "open" not in params())
    wait.until(lambda d: d.find_elements(By.ID, "q") and d.find_element(By.ID, "q").get_attribute("value") == "意识形态"
               and len(d.find_elements(By.CSS_SELECTOR, ".hit")) > 0)

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
    # Its preview too: text, not elements.
    body().send_keys("j")
    body().send_keys(Keys.ENTER)
    wait.until(lambda d: d.find_element(By.ID, "preview").is_displayed() and "<script>" in d.find_element(By.ID, "preview-text").text)
    assert not driver.find_elements(By.CSS_SELECTOR, "#preview script, #preview img"), "document text became elements"
    assert driver.execute_script("return window.__pwned === undefined"), "a document's script ran"
    body().send_keys(Keys.ESCAPE)
    wait.until(lambda d: not d.find_element(By.ID, "preview").is_displayed() and "open" not in params())

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
except Exception:
    driver.save_screenshot(shots + "/failure.png")
    print("url at the failure:", driver.current_url)
    raise
finally:
    driver.quit()
