package digiads.page;

import static digiads.page.PageBrowser.encoded;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import digiads.MotoTestSupport;
import digiads.TestImages;
import digiads.local.RekognitionStandIn;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The gallery filtered by a label in a real browser, signed in: it shows exactly the images carrying
 * the label (labeled through the pipeline, their labels chosen by the Rekognition stand-in by the
 * object's key), newest first, a page at a time, with their brand-safety marks; an unknown label shows
 * the empty state, a bad one the API's error; while filtered, an image labeled with the label appears,
 * one re-labeled without it, deleted or rejected disappears, without a reload; the filter is in the URL
 * (a reload shows it again). In order, in one browser: the last test follows the images the first one labeled.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageLabelFilterBrowserTest extends MotoTestSupport {

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
    private static final Map<String, StubMapping> LABEL_STUBS = new ConcurrentHashMap<>();

    @RegisterExtension
    static final PageBrowser page = PageBrowser.signedIn();

    private final ChromeDriver browser = page.browser();
    private final WebDriverWait wait = page.waits();

    @AfterAll
    static void removeLabelStubs() {
        LABEL_STUBS.values().forEach(RekognitionStandIn.shared()::removeStub);
    }


    @Test
    @Order(1)
    void filteringByALabelShowsExactlyTheImagesCarryingItNewestFirstWithTheirBrandSafetyMarks() throws Exception {
        throughThePipeline(A, TestImages.jpeg(), KAYAK, GRASS);
        throughThePipeline(B, TestImages.jpeg(), KAYAK);
        throughThePipeline(C, TestImages.jpeg(), LIGHTHOUSE);
        page.showGallery();
        assertThat(browser.findElement(By.cssSelector("label[for=filter]")).getText()).isEqualTo("Filter by label");

        // by keyboard, in other letters than Rekognition's: labels match case-insensitively
        page.filter(KAYAK.toLowerCase());

        page.awaitCards(B, A);
        assertThat((String) page.js("return location.hash")).isEqualTo("#/?label=" + encoded(KAYAK.toLowerCase()));
        assertThat(page.text("gallery-title")).contains(KAYAK.toLowerCase());
        assertThat(page.card(B).getAttribute("data-verdict")).isEqualTo("UNSAFE");
        assertThat(page.card(B).getAttribute("class")).contains("unsafe");
        assertThat(page.card(B).getText()).contains("Not safe for ads", KAYAK);
        assertThat(page.card(A).getAttribute("data-verdict")).isEqualTo("SAFE");
        assertThat(page.card(A).getAttribute("class")).doesNotContain("unsafe");
        assertThat(page.card(A).getText()).contains("Safe for ads", KAYAK);
        // the labels, with how many images carry each, are the field's suggestions
        wait.until(d -> "2 images".equals(page.js("return document.querySelector(`#label-suggestions option[value=\"" + KAYAK
                + "\"]`)?.label")));
        page.save("gallery-filtered.png");

        // the filter is in the URL: a reload shows it again
        browser.navigate().refresh();
        page.awaitCards(B, A);
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).isEqualTo(KAYAK.toLowerCase());

        // a page at a time: "More images" follows the cursor
        Object pageSize = page.js("return PAGE.search");
        page.js("PAGE.search = 1");
        try {
            page.filter(KAYAK);
            page.awaitCards(B);
            wait.until(d -> d.findElement(By.id("more")).isDisplayed());
            while (browser.findElement(By.id("more")).isDisplayed()) {
                int shown = page.cards().size();
                browser.findElement(By.id("more")).click();
                wait.until(d -> page.cards().size() > shown || !d.findElement(By.id("more")).isDisplayed());
            }
            page.awaitCards(B, A);
        } finally {
            page.js("PAGE.search = arguments[0]", pageSize);
        }

        // at phone width the field and its button fit, nothing scrolls sideways
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            wait.until(d -> (Boolean) page.js("return document.documentElement.scrollWidth <= window.innerWidth"));
            assertThat(browser.findElement(By.id("filter")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.cssSelector("#filter-form button[type=submit]")).isDisplayed()).isTrue();
            page.save("gallery-filtered-phone.png");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
        browser.navigate().refresh();
    }

    @Test
    @Order(2)
    void anUnknownLabelShowsTheEmptyStateAndABadRequestTheApisErrorMessage() {
        page.showGallery();
        String unicorn = "Unicorn " + RUN;
        page.filter(unicorn);
        wait.until(d -> d.findElement(By.id("gallery-empty")).isDisplayed());
        assertThat(page.text("gallery-empty")).isEqualTo("No images labeled “" + unicorn + "”.");
        assertThat(page.cards()).isEmpty();

        String tooLong = "x".repeat(201);
        var answer = get("/api/images?label=" + tooLong);
        assertThat(answer.statusCode()).isEqualTo(400);
        page.js("location.hash = '#/?label=" + tooLong + "'");
        wait.until(d -> d.findElement(By.id("gallery-error")).isDisplayed());
        assertThat(page.text("gallery-error")).isEqualTo(body(answer).path("message").asText()).isNotBlank();
        assertThat(browser.findElement(By.id("gallery-empty")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("filter")).isDisplayed()).isTrue();
        assertThat(page.cards()).isEmpty();
    }

    @Test
    @Order(3)
    void whileFilteredTheViewFollowsImagesLabeledReLabeledAndDeletedWithoutAReload() {
        page.showGallery();
        page.filter(KAYAK);
        page.awaitCards(B, A);
        page.awaitLive();
        page.js("window.__noReload = true");

        // labeled with another label: not shown; labeled with the label: shown first
        throughThePipeline(E, TestImages.jpeg(), LIGHTHOUSE);
        throughThePipeline(D, TestImages.jpeg(), GRASS, KAYAK);
        page.awaitCards(D, B, A);
        assertThat(page.card(D).getAttribute("data-verdict")).isEqualTo("SAFE");

        // re-labeled without the label (new content): gone
        throughThePipeline(A, TestImages.png(), GRASS);
        page.awaitCards(D, B);

        // deleted, rejected (a GIF now): gone, by the update alone (no read of the search is due then,
        // such as the one 2 s after a labeling, which would find them gone too)
        awaitNoSearchReadDue();
        assertThat(send(HttpRequest.newBuilder(uri("/api/images/" + segment(B))).DELETE()).statusCode()).isEqualTo(202);
        page.awaitCards(D);
        awaitNoSearchReadDue();
        throughThePipeline(D, TestImages.gif());
        page.awaitCards();
        assertThat(page.text("gallery-empty")).isEqualTo("No images labeled “" + KAYAK + "”.");
        assertThat(page.js("return window.__noReload")).as("the page was not reloaded").isEqualTo(true);

        // clearing the filter shows the recent images again, whatever their labels
        browser.findElement(By.id("filter-clear")).click();
        wait.until(d -> "#/".equals(page.js("return location.hash")) && "Recent images".equals(page.text("gallery-title")));
        wait.until(d -> page.cards().containsAll(List.of(A, C, D, E)));
        assertThat(page.card(D).getAttribute("data-status")).isEqualTo("REJECTED");
        assertThat(page.cards()).doesNotContain(B);
        assertThat(browser.findElement(By.id("filter")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("filter-clear")).isDisplayed()).isFalse();
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
        Awaitility.await("labels of " + imageId).atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    var response = metadata(imageId);
                    return response.statusCode() == 200 && eTag.equals(body(response).path("eTag").asText());
                });
    }

    /** The filtered page has no read of its search waiting or due (the read 2 s after a labeling done). */
    private void awaitNoSearchReadDue() {
        wait.until(d -> (Boolean) page.js("return state.search.settle === null && !state.search.queued"));
    }
}
