package digiads.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.global.GlobalSettings;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.deals.DealsCache;
import digiads.local.DealsStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An image's page in a real browser, signed in: a real photo uploaded through the page (straight to
 * S3) shows its labels and deals without a reload within 2 s of the metadata being written; a GIF shows
 * REJECTED with its reason; with the Deals API failing the page shows the degraded badge and still the
 * labels; deleting an image takes it out of a second window's gallery. In order, in one browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageLiveImageBrowserTest extends MotoTestSupport {

    private static final Path PHOTO = Path.of("src/test/resources/photos/chelsea.png");
    private static final Duration LIVE = Duration.ofSeconds(2);

    @RegisterExtension
    static final PageBrowser page = PageBrowser.signedIn();

    @Autowired
    DealsCache dealsCache;
    @Autowired
    CircuitBreaker dealsCircuitBreaker;

    private final ChromeDriver browser = page.browser();
    private final WebDriverWait wait = page.waits();

    @Test
    @Order(1)
    void aRealPhotoUploadedThroughThePageGetsItsLabelsAndDealsLiveWithinTwoSecondsOfTheWrite() throws Exception {
        warmUpDeals();
        page.showGallery();
        page.js("window.__noReload = true");
        // when labels and deals show, by the browser's clock (the same machine's)
        page.js("""
                window.__seen = {};
                const note = (what, selector) => new MutationObserver(() => {
                  if (document.querySelector(selector) && !window.__seen[what]) window.__seen[what] = Date.now();
                }).observe(document.body, {subtree: true, childList: true});
                note('labels', '#labels li'); note('deals', '#deals .deal');""");
        page.upload(PHOTO);

        String imageId = page.openedImageId();
        try {
            wait.until(d -> !d.findElements(By.cssSelector("#deals .deal")).isEmpty()
                    && !d.findElements(By.cssSelector("#labels li")).isEmpty());
        } catch (TimeoutException e) {
            page.save("failed-labels-and-ads.png");
            throw new AssertionError("no labels and deals; page: " + page.text("image-status") + " / "
                    + page.text("deals-status") + " / " + page.text("deals-note"), e);
        }

        Instant written = Instant.ofEpochMilli(Long.parseLong(item(imageId).get("listedAt").n()));
        Instant labelsShown = Instant.ofEpochMilli(((Number) page.js("return window.__seen.labels")).longValue());
        Instant dealsShown = Instant.ofEpochMilli(((Number) page.js("return window.__seen.deals")).longValue());
        assertThat(Duration.between(written, labelsShown)).as("labels after the write").isLessThan(LIVE);
        assertThat(Duration.between(written, dealsShown)).as("deals after the write").isLessThan(LIVE);
        assertThat(page.js("return window.__noReload")).as("the page was not reloaded").isEqualTo(true);
        assertThat(page.text("image-status")).isEqualTo("LABELED");
        assertThat(page.text("deals-status")).contains("LIVE");
        assertThat(browser.findElement(By.id("degraded")).isDisplayed()).isFalse();
        WebElement deal = browser.findElement(By.cssSelector("#deals .deal"));
        assertThat(deal.findElement(By.cssSelector(".title")).getText()).isNotBlank();
        assertThat(deal.findElement(By.cssSelector(".merchant")).getText()).isNotBlank();
        assertThat(deal.findElement(By.cssSelector("a")).getAttribute("href")).startsWith("http");
        wait.until(d -> (Boolean) page.js("const i = document.getElementById('picture'); return i.complete && i.naturalWidth > 0"));
        page.save("image-labels-and-ads.png");
        // the gallery shows it, with its picture
        page.showGallery();
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("""
                const i = document.querySelector(`#gallery li[data-image-id="${arguments[0]}"][data-status=LABELED] img`);
                return !!i && i.complete && i.naturalWidth > 0""", imageId));
        page.save("gallery.png");
    }

    @Test
    @Order(2)
    void aGifShowsRejectedWithItsReason() throws Exception {
        page.showGallery();
        Path gif = Files.createTempFile("digiads-page", ".gif");
        Files.write(gif, TestImages.gif());
        page.upload(gif);
        page.openedImageId();
        wait.until(d -> "REJECTED".equals(page.text("image-status")));
        assertThat(browser.findElement(By.id("reason")).isDisplayed()).isTrue();
        assertThat(page.text("reason-text")).contains("image/gif");
    }

    @Test
    @Order(3)
    void withTheDealsApiFailingThePageShowsTheDegradedBadgeAndStillTheLabels() throws Exception {
        WireMockServer deals = DealsStandIn.shared();
        dealsCache.clear();
        deals.stubFor(WireMock.get(WireMock.urlPathEqualTo("/deals")).atPriority(1)
                .willReturn(WireMock.aResponse().withStatus(500)));
        try {
            page.showGallery();
            Path jpeg = Files.createTempFile("digiads-page", ".jpg");
            Files.write(jpeg, TestImages.photo("chelsea.jpg"));
            page.upload(jpeg);
            page.openedImageId();
            wait.until(d -> d.findElement(By.id("degraded")).isDisplayed());
            assertThat(page.text("image-status")).isEqualTo("LABELED");
            assertThat(browser.findElements(By.cssSelector("#labels li"))).isNotEmpty();
            assertThat(page.text("deals-status")).doesNotContain("LIVE");
            assertThat(page.text("deals-note")).isNotBlank();
        } finally {
            deals.resetAll();
            dealsCache.clear();
            dealsCircuitBreaker.reset();
        }
    }

    @Test
    @Order(4)
    void deletingAnImageTakesItOutOfASecondWindowsGallery() throws Exception {
        page.showGallery();
        Path jpeg = Files.createTempFile("digiads-page", ".jpg");
        Files.write(jpeg, TestImages.jpeg());
        page.upload(jpeg);
        String imageId = page.openedImageId();
        wait.until(d -> "LABELED".equals(page.text("image-status")));
        String first = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.WINDOW);
        String second = browser.getWindowHandle();
        browser.get(page.home());
        By card = By.cssSelector("#gallery li[data-image-id='" + imageId + "']");
        wait.until(d -> !d.findElements(card).isEmpty());
        page.awaitLive();

        browser.switchTo().window(first);
        browser.findElement(By.id("delete")).click();
        browser.switchTo().alert().accept();
        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());

        browser.switchTo().window(second);
        wait.until(d -> d.findElements(card).isEmpty());
        browser.close();
        browser.switchTo().window(first);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The first Deals call of a JVM loads its HTTP client and may miss the tests' 500 ms budget: not the page's. */
    private void warmUpDeals() throws Exception {
        healthyDeals();
        putObject("page-warm-up.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("page-warm-up.jpg");
        // until a lookup answers within the budget (a loaded machine may take a few tries)
        Awaitility.await("deals answer").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    dealsCache.clear();
                    dealsCircuitBreaker.reset();
                    return "LIVE".equals(body(get("/api/images/page-warm-up.jpg/digiads")).get("dealsStatus").asText());
                });
        dealsCache.clear();
        dealsCircuitBreaker.reset();
    }

    /** The stand-in as its mappings define it (other tests of this JVM make it slow or fail), an empty cache, a closed breaker. */
    private void healthyDeals() {
        DealsStandIn.shared().resetAll();
        DealsStandIn.shared().updateGlobalSettings(GlobalSettings.defaults());
        dealsCache.clear();
        dealsCircuitBreaker.reset();
    }

    private Map<String, AttributeValue> item(String imageId) {
        return dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("imageId", AttributeValue.fromS(imageId)))).item();
    }
}
