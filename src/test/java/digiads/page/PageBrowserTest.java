package digiads.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.deals.DealsCache;
import digiads.live.UpdatesSubscription;
import digiads.local.DealsStandIn;
import digiads.local.LocalIssuer;
import digiads.local.RekognitionStandIn;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The page in a real (headless) Chromium against the running app, moto, the local issuer and the
 * Deals stand-in: a user signs in at the issuer, uploads a real photo through the page (straight to
 * S3) and sees its labels and deals arrive without a reload within 2 s of the metadata being written;
 * a GIF shows REJECTED with its reason; with the Deals API failing the page shows the degraded badge
 * and still the labels; deleting an image takes it out of a second window's gallery. Filtered by a
 * label, the gallery shows exactly the images carrying it (labeled through the pipeline, their labels
 * chosen by the Rekognition stand-in by the object's key), newest first, a page at a time, with their
 * brand-safety marks; an unknown label shows the empty state, a bad one the API's error; while
 * filtered, an image labeled with the label appears, one re-labeled without it, deleted or rejected
 * disappears, without a reload; the filter is in the URL (a reload, a shared link through the sign-in). One
 * browser session for all, in order (signing in first). Needs Debian's chromium and chromium-driver;
 * skipped where they are missing. Screenshots of the page go to target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageBrowserTest extends MotoTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path PHOTO = Path.of("src/test/resources/photos/chelsea.png");
    private static final Duration LIVE = Duration.ofSeconds(2);
    private static final String DETECT_LABELS = "RekognitionService.DetectLabels";

    /** The images and labels of the filter's tests: labels of this run only, images labeled through the pipeline. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String KAYAK = "Kayak " + RUN;
    private static final String LIGHTHOUSE = "Lighthouse " + RUN;
    private static final String GRASS = "Grass " + RUN;
    private static final String A = "page-filter/" + RUN + "/a.jpg";
    private static final String B = "page-filter/" + RUN + "/unsafe-violence-b.jpg";
    private static final String C = "page-filter/" + RUN + "/c.jpg";
    private static final String D = "page-filter/" + RUN + "/d.jpg";
    private static final String E = "page-filter/" + RUN + "/e.jpg";
    private static final Map<String, StubMapping> LABEL_STUBS = new java.util.concurrent.ConcurrentHashMap<>();

    @Autowired
    UpdatesSubscription subscription;
    @Autowired
    DealsCache dealsCache;
    @Autowired
    CircuitBreaker dealsCircuitBreaker;

    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private String home;

    @BeforeAll
    static void startChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
        Path profile = Files.createTempDirectory("digiads-page-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // a navigation (sign-out, sign-in) may replace an element between finding it and asking it
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** Camel (and with it the updates queue's consumer) starts with the first test, not before all. */
    @BeforeEach
    void subscribed() throws InterruptedException {
        // the local issuer redirects to loopback addresses only (not "localhost"), on any port
        home = "http://127.0.0.1:" + port + "/";
        assertThat(subscription.awaitSubscribed(Duration.ofSeconds(30))).as("updates queue subscribed").isTrue();
    }

    @AfterAll
    static void stopChromium() {
        LABEL_STUBS.values().forEach(RekognitionStandIn.shared()::removeStub);
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void aUserSignsInAtTheIssuerAndComesBackToTheGallery() {
        browser.get(home);
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("sign-in")).click();

        wait.until(d -> !d.findElements(By.name("username")).isEmpty());
        assertThat(browser.getCurrentUrl()).startsWith(LocalIssuer.shared().url());
        browser.findElement(By.name("username")).sendKeys("digiads-user");
        browser.findElement(By.name("password")).sendKeys("digiads-user-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());
        assertThat(browser.getCurrentUrl()).startsWith(home);
        assertThat(text("user-name")).isEqualTo("digiads-user");
        // the tokens stay on the server: the browser holds an HttpOnly session cookie and nothing else of the sign-in
        assertThat(browser.manage().getCookieNamed("digiads-session").isHttpOnly()).isTrue();
        assertThat((String) js("return document.cookie")).doesNotContain("digiads-session");
        awaitLive();
    }

    @Test
    @Order(2)
    void aRealPhotoUploadedThroughThePageGetsItsLabelsAndDealsLiveWithinTwoSecondsOfTheWrite() throws Exception {
        warmUpDeals();
        showGallery();
        js("window.__noReload = true");
        // when labels and deals show, by the browser's clock (the same machine's)
        js("""
                window.__seen = {};
                const note = (what, selector) => new MutationObserver(() => {
                  if (document.querySelector(selector) && !window.__seen[what]) window.__seen[what] = Date.now();
                }).observe(document.body, {subtree: true, childList: true});
                note('labels', '#labels li'); note('deals', '#deals .deal');""");
        upload(PHOTO);

        String imageId = openedImageId();
        try {
            wait.until(d -> !d.findElements(By.cssSelector("#deals .deal")).isEmpty()
                    && !d.findElements(By.cssSelector("#labels li")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            save("failed-labels-and-ads.png");
            throw new AssertionError("no labels and deals; page: " + text("image-status") + " / "
                    + text("deals-status") + " / " + text("deals-note"), e);
        }

        Instant written = Instant.ofEpochMilli(Long.parseLong(item(imageId).get("listedAt").n()));
        Instant labelsShown = Instant.ofEpochMilli(((Number) js("return window.__seen.labels")).longValue());
        Instant dealsShown = Instant.ofEpochMilli(((Number) js("return window.__seen.deals")).longValue());
        assertThat(Duration.between(written, labelsShown)).as("labels after the write").isLessThan(LIVE);
        assertThat(Duration.between(written, dealsShown)).as("deals after the write").isLessThan(LIVE);
        assertThat(js("return window.__noReload")).as("the page was not reloaded").isEqualTo(true);
        assertThat(text("image-status")).isEqualTo("LABELED");
        assertThat(text("deals-status")).contains("LIVE");
        assertThat(browser.findElement(By.id("degraded")).isDisplayed()).isFalse();
        WebElement deal = browser.findElement(By.cssSelector("#deals .deal"));
        assertThat(deal.findElement(By.cssSelector(".title")).getText()).isNotBlank();
        assertThat(deal.findElement(By.cssSelector(".merchant")).getText()).isNotBlank();
        assertThat(deal.findElement(By.cssSelector("a")).getAttribute("href")).startsWith("http");
        wait.until(d -> (Boolean) js("const i = document.getElementById('picture'); return i.complete && i.naturalWidth > 0"));
        save("image-labels-and-ads.png");
        // the gallery shows it, with its picture
        showGallery();
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("""
                const i = document.querySelector(`#gallery li[data-image-id="${arguments[0]}"][data-status=LABELED] img`);
                return !!i && i.complete && i.naturalWidth > 0""", imageId));
        save("gallery.png");
    }

    @Test
    @Order(3)
    void aGifShowsRejectedWithItsReason() throws Exception {
        showGallery();
        Path gif = Files.createTempFile("digiads-page", ".gif");
        Files.write(gif, TestImages.gif());
        upload(gif);
        openedImageId();
        wait.until(d -> "REJECTED".equals(text("image-status")));
        assertThat(browser.findElement(By.id("reason")).isDisplayed()).isTrue();
        assertThat(text("reason-text")).contains("image/gif");
    }

    @Test
    @Order(4)
    void withTheDealsApiFailingThePageShowsTheDegradedBadgeAndStillTheLabels() throws Exception {
        WireMockServer deals = DealsStandIn.shared();
        dealsCache.clear();
        deals.stubFor(WireMock.get(WireMock.urlPathEqualTo("/deals")).atPriority(1)
                .willReturn(WireMock.aResponse().withStatus(500)));
        try {
            showGallery();
            Path jpeg = Files.createTempFile("digiads-page", ".jpg");
            Files.write(jpeg, TestImages.photo("chelsea.jpg"));
            upload(jpeg);
            openedImageId();
            wait.until(d -> d.findElement(By.id("degraded")).isDisplayed());
            assertThat(text("image-status")).isEqualTo("LABELED");
            assertThat(browser.findElements(By.cssSelector("#labels li"))).isNotEmpty();
            assertThat(text("deals-status")).doesNotContain("LIVE");
            assertThat(text("deals-note")).isNotBlank();
        } finally {
            deals.resetAll();
            dealsCache.clear();
            dealsCircuitBreaker.reset();
        }
    }

    @Test
    @Order(5)
    void deletingAnImageTakesItOutOfASecondWindowsGallery() throws Exception {
        showGallery();
        Path jpeg = Files.createTempFile("digiads-page", ".jpg");
        Files.write(jpeg, TestImages.jpeg());
        upload(jpeg);
        String imageId = openedImageId();
        wait.until(d -> "LABELED".equals(text("image-status")));
        String first = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.WINDOW);
        String second = browser.getWindowHandle();
        browser.get(home);
        By card = By.cssSelector("#gallery li[data-image-id='" + imageId + "']");
        wait.until(d -> !d.findElements(card).isEmpty());
        awaitLive();

        browser.switchTo().window(first);
        browser.findElement(By.id("delete")).click();
        browser.switchTo().alert().accept();
        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());

        browser.switchTo().window(second);
        wait.until(d -> d.findElements(card).isEmpty());
        browser.close();
        browser.switchTo().window(first);
    }

    @Test
    @Order(6)
    void filteringByALabelShowsExactlyTheImagesCarryingItNewestFirstWithTheirBrandSafetyMarks() throws Exception {
        throughThePipeline(A, TestImages.jpeg(), KAYAK, GRASS);
        throughThePipeline(B, TestImages.jpeg(), KAYAK);
        throughThePipeline(C, TestImages.jpeg(), LIGHTHOUSE);
        showGallery();
        assertThat(browser.findElement(By.cssSelector("label[for=filter]")).getText()).isEqualTo("Filter by label");

        // by keyboard, in other letters than Rekognition's: labels match case-insensitively
        filter(KAYAK.toLowerCase());

        awaitCards(B, A);
        assertThat((String) js("return location.hash")).isEqualTo("#/?label=" + encoded(KAYAK.toLowerCase()));
        assertThat(text("gallery-title")).contains(KAYAK.toLowerCase());
        assertThat(card(B).getAttribute("data-verdict")).isEqualTo("UNSAFE");
        assertThat(card(B).getAttribute("class")).contains("unsafe");
        assertThat(card(B).getText()).contains("Not safe for ads", KAYAK);
        assertThat(card(A).getAttribute("data-verdict")).isEqualTo("SAFE");
        assertThat(card(A).getAttribute("class")).doesNotContain("unsafe");
        assertThat(card(A).getText()).contains("Safe for ads", KAYAK);
        // the labels, with how many images carry each, are the field's suggestions
        wait.until(d -> "2 images".equals(js("return document.querySelector(`#label-suggestions option[value=\"" + KAYAK
                + "\"]`)?.label")));
        save("gallery-filtered.png");

        // the filter is in the URL: a reload shows it again
        browser.navigate().refresh();
        awaitCards(B, A);
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).isEqualTo(KAYAK.toLowerCase());

        // a page at a time: "More images" follows the cursor
        Object pageSize = js("return PAGE.search");
        js("PAGE.search = 1");
        try {
            filter(KAYAK);
            awaitCards(B);
            wait.until(d -> d.findElement(By.id("more")).isDisplayed());
            while (browser.findElement(By.id("more")).isDisplayed()) {
                int shown = cards().size();
                browser.findElement(By.id("more")).click();
                wait.until(d -> cards().size() > shown || !d.findElement(By.id("more")).isDisplayed());
            }
            awaitCards(B, A);
        } finally {
            js("PAGE.search = arguments[0]", pageSize);
        }

        // at phone width the field and its button fit, nothing scrolls sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            wait.until(d -> (Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth"));
            assertThat(browser.findElement(By.id("filter")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.cssSelector("#filter-form button[type=submit]")).isDisplayed()).isTrue();
            save("gallery-filtered-phone.png");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
        browser.navigate().refresh();
    }

    @Test
    @Order(7)
    void anUnknownLabelShowsTheEmptyStateAndABadRequestTheApisErrorMessage() {
        showGallery();
        String unicorn = "Unicorn " + RUN;
        filter(unicorn);
        wait.until(d -> d.findElement(By.id("gallery-empty")).isDisplayed());
        assertThat(text("gallery-empty")).isEqualTo("No images labeled “" + unicorn + "”.");
        assertThat(cards()).isEmpty();

        String tooLong = "x".repeat(201);
        var answer = get("/api/images?label=" + tooLong);
        assertThat(answer.statusCode()).isEqualTo(400);
        js("location.hash = '#/?label=" + tooLong + "'");
        wait.until(d -> d.findElement(By.id("gallery-error")).isDisplayed());
        assertThat(text("gallery-error")).isEqualTo(body(answer).path("message").asText()).isNotBlank();
        assertThat(browser.findElement(By.id("gallery-empty")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("filter")).isDisplayed()).isTrue();
        assertThat(cards()).isEmpty();
    }

    @Test
    @Order(8)
    void whileFilteredTheViewFollowsImagesLabeledReLabeledAndDeletedWithoutAReload() {
        showGallery();
        filter(KAYAK);
        awaitCards(B, A);
        awaitLive();
        js("window.__noReload = true");

        // labeled with another label: not shown; labeled with the label: shown first
        throughThePipeline(E, TestImages.jpeg(), LIGHTHOUSE);
        throughThePipeline(D, TestImages.jpeg(), GRASS, KAYAK);
        awaitCards(D, B, A);
        assertThat(card(D).getAttribute("data-verdict")).isEqualTo("SAFE");

        // re-labeled without the label (new content): gone
        throughThePipeline(A, TestImages.png(), GRASS);
        awaitCards(D, B);

        // deleted, rejected (a GIF now): gone, by the update alone (no read of the search is due then,
        // such as the one 2 s after a labeling, which would find them gone too)
        awaitNoSearchReadDue();
        assertThat(send(HttpRequest.newBuilder(uri("/api/images/" + segment(B))).DELETE()).statusCode()).isEqualTo(202);
        awaitCards(D);
        awaitNoSearchReadDue();
        throughThePipeline(D, TestImages.gif());
        awaitCards();
        assertThat(text("gallery-empty")).isEqualTo("No images labeled “" + KAYAK + "”.");
        assertThat(js("return window.__noReload")).as("the page was not reloaded").isEqualTo(true);

        // clearing the filter shows the recent images again, whatever their labels
        browser.findElement(By.id("filter-clear")).click();
        wait.until(d -> "#/".equals(js("return location.hash")) && "Recent images".equals(text("gallery-title")));
        wait.until(d -> cards().containsAll(List.of(A, C, D, E)));
        assertThat(card(D).getAttribute("data-status")).isEqualTo("REJECTED");
        assertThat(cards()).doesNotContain(B);
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("filter-clear")).isDisplayed()).isFalse();
    }

    @Test
    @Order(9)
    void aSharedLinkToAFilterLeadsThereThroughTheSignIn() {
        showGallery();
        browser.findElement(By.cssSelector("#sign-out button")).click();
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());

        browser.get(home + "#/?label=" + encoded(KAYAK));
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("sign-in")).click();
        // the issuer asks for the password again unless its own session still lasts
        wait.until(d -> !d.findElements(By.name("username")).isEmpty() || d.findElements(By.cssSelector("#gallery-view"))
                .stream().anyMatch(WebElement::isDisplayed));
        if (!browser.findElements(By.name("username")).isEmpty()) {
            browser.findElement(By.name("username")).sendKeys("digiads-user");
            browser.findElement(By.name("password")).sendKeys("digiads-user-password");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
        }

        wait.until(d -> "Images labeled “" + KAYAK + "”".equals(text("gallery-title")));
        assertThat((String) js("return location.hash")).isEqualTo("#/?label=" + encoded(KAYAK));
        awaitCards();
        wait.until(d -> d.findElement(By.id("gallery-empty")).isDisplayed());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * Puts the content as the image and waits until the pipeline stored it: its DetectLabels answers
     * these labels (the Rekognition stand-in, by the object's key, first the most confident).
     */
    private void throughThePipeline(String imageId, byte[] content, String... labels) {
        StringBuilder answer = new StringBuilder("{\"Labels\":[");
        for (int i = 0; i < labels.length; i++) {
            answer.append(i == 0 ? "" : ",").append("{\"Name\":\"").append(labels[i]).append("\",\"Confidence\":")
                    .append(97.5 - 10 * i).append(",\"Parents\":[]}");
        }
        answer.append("],\"LabelModelVersion\":\"3.0\"}");
        StubMapping before = LABEL_STUBS.put(imageId, RekognitionStandIn.shared().stubFor(WireMock.post(WireMock.urlEqualTo("/"))
                .atPriority(0)
                .withHeader("X-Amz-Target", WireMock.equalTo(DETECT_LABELS))
                .withRequestBody(WireMock.matchingJsonPath("$.Image.S3Object.Name", WireMock.equalTo(PREFIX + imageId)))
                .willReturn(WireMock.aResponse().withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(answer.toString()))));
        if (before != null) {
            RekognitionStandIn.shared().removeStub(before);
        }
        String eTag = putObject(imageId, content, "image/jpeg");
        org.awaitility.Awaitility.await("labels of " + imageId).atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    var response = metadata(imageId);
                    return response.statusCode() == 200 && eTag.equals(body(response).path("eTag").asText());
                });
    }

    /** The filtered page has no read of its search waiting or due (the read 2 s after a labeling done). */
    private void awaitNoSearchReadDue() {
        wait.until(d -> (Boolean) js("return state.search.settle === null && !state.search.queued"));
    }

    /** Types the label into the filter field and presses Enter. */
    private void filter(String label) {
        WebElement field = browser.findElement(By.id("filter"));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(label, Keys.ENTER);
    }

    /** The image ids of the gallery's cards, in order. */
    @SuppressWarnings("unchecked")
    private List<String> cards() {
        return new ArrayList<>((List<String>) js("return [...document.querySelectorAll('#gallery li')].map(li => li.dataset.imageId)"));
    }

    private WebElement card(String imageId) {
        return browser.findElement(By.cssSelector("#gallery li[data-image-id='" + imageId + "']"));
    }

    /** Waits until the gallery shows exactly these images, in this order. */
    private void awaitCards(String... imageIds) {
        try {
            wait.until(d -> cards().equals(List.of(imageIds)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the gallery shows " + cards() + ", not " + List.of(imageIds)
                    + " (error: " + js("const e = document.getElementById('gallery-error'); return e.hidden ? 'none' : e.textContent") + ")", e);
        }
    }

    private static String encoded(String label) {
        return java.net.URLEncoder.encode(label, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The first Deals call of a JVM loads its HTTP client and may miss the tests' 500 ms budget: not the page's. */
    private void warmUpDeals() throws Exception {
        healthyDeals();
        putObject("page-warm-up.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("page-warm-up.jpg");
        // until a lookup answers within the budget (a loaded machine may take a few tries)
        org.awaitility.Awaitility.await("deals answer").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
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
        DealsStandIn.shared().updateGlobalSettings(com.github.tomakehurst.wiremock.global.GlobalSettings.defaults());
        dealsCache.clear();
        dealsCircuitBreaker.reset();
    }

    private Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void showGallery() {
        if (!browser.getCurrentUrl().startsWith(home)) {
            browser.get(home);
        }
        js("location.hash = '#/'");
        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());
        awaitLive();
    }

    /** The page's live indicator says its stream is open. */
    private void awaitLive() {
        wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
    }

    /** Chooses a file in the page's file picker; the page presigns, PUTs it to S3 and opens the image's page. */
    private void upload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    }

    /** The image whose page the upload opened. */
    private String openedImageId() {
        wait.until(d -> d.findElement(By.id("image-view")).isDisplayed());
        String hash = (String) js("return location.hash");
        return java.net.URLDecoder.decode(hash.substring("#/image/".length()), java.nio.charset.StandardCharsets.UTF_8);
    }

    private Map<String, AttributeValue> item(String imageId) {
        return dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("imageId", AttributeValue.fromS(imageId)))).item();
    }

    private void save(String name) throws IOException {
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
