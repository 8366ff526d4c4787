package digiads.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import digiads.live.UpdatesSubscription;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The page in a real (headless) Chromium against the running app: a class's own browser (a fresh
 * profile, so no session of another class), quit after the class, and what the page's tests do with
 * it. The app, moto, the local issuer and the stand-ins are those of {@link digiads.MotoTestSupport}'s
 * Spring context, which Spring's context cache starts once for every class of the JVM. Before each test
 * the app's updates queue is subscribed; {@link #signedIn()} also signs in at the issuer before the
 * class's first test. Needs Debian's chromium and chromium-driver: the class is skipped where they are
 * missing. Screenshots of the page go to target/screenshots/.
 *
 * <p>Registered as a static {@code @RegisterExtension} field of a {@code MotoTestSupport} class, so that
 * Spring's extension (declared on the class) has loaded the context before this one asks it.
 */
final class PageBrowser implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    static final String USER = "digiads-user";
    static final String PASSWORD = "digiads-user-password";

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final boolean signInFirst;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String home;
    private boolean signedIn;

    private PageBrowser(boolean signInFirst) {
        this.signInFirst = signInFirst;
    }

    /** A browser signed in as the user before the class's first test. */
    static PageBrowser signedIn() {
        return new PageBrowser(true);
    }

    /** A browser that has never signed in (for the tests of signing in). */
    static PageBrowser signedOut() {
        return new PageBrowser(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
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
    @Override
    public void beforeEach(ExtensionContext context) throws InterruptedException {
        ApplicationContext app = SpringExtension.getApplicationContext(context);
        // the local issuer redirects to loopback addresses only (not "localhost"), on any port
        home = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port") + "/";
        assertThat(app.getBean(UpdatesSubscription.class).awaitSubscribed(Duration.ofSeconds(30)))
                .as("updates queue subscribed").isTrue();
        if (signInFirst && !signedIn) {
            signIn();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.quit();
        }
    }

    ChromeDriver browser() {
        return browser;
    }

    /** Waits of up to 30 s, ignoring an element a navigation replaced. */
    WebDriverWait waits() {
        return wait;
    }

    /** The page's address, on a loopback address as the issuer wants it. */
    String home() {
        return home;
    }

    // ---- signing in -------------------------------------------------------------------------------

    /** Opens the page, signs in at the issuer and waits for the gallery with its stream open. */
    private void signIn() {
        browser.get(home);
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("sign-in")).click();
        signInAtTheIssuer();
        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());
        awaitLive();
        signedIn = true;
    }

    /** At the issuer: the user's name and password, unless the issuer's own session still lasts. */
    void signInAtTheIssuer() {
        wait.until(d -> !d.findElements(By.name("username")).isEmpty() || d.findElements(By.cssSelector("#gallery-view"))
                .stream().anyMatch(WebElement::isDisplayed));
        if (!browser.findElements(By.name("username")).isEmpty()) {
            enterTheUsersPassword();
        }
    }

    /** Fills in the issuer's sign-in form as the user and sends it. */
    void enterTheUsersPassword() {
        browser.findElement(By.name("username")).sendKeys(USER);
        browser.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    // ---- the page ---------------------------------------------------------------------------------

    Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    void showGallery() {
        if (!browser.getCurrentUrl().startsWith(home)) {
            browser.get(home);
        }
        js("location.hash = '#/'");
        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());
        awaitLive();
    }

    /** The page's live indicator says its stream is open. */
    void awaitLive() {
        wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
    }

    /** Chooses a file in the page's file picker; the page presigns, PUTs it to S3 and opens the image's page. */
    void upload(Path file) {
        browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    }

    /** The image whose page the upload opened. */
    String openedImageId() {
        wait.until(d -> d.findElement(By.id("image-view")).isDisplayed());
        String hash = (String) js("return location.hash");
        return URLDecoder.decode(hash.substring("#/image/".length()), StandardCharsets.UTF_8);
    }

    /** Types the label into the filter field and presses Enter. */
    void filter(String label) {
        WebElement field = browser.findElement(By.id("filter"));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(label, Keys.ENTER);
    }

    /** The image ids of the gallery's cards, in order. */
    @SuppressWarnings("unchecked")
    List<String> cards() {
        return new ArrayList<>((List<String>) js("return [...document.querySelectorAll('#gallery li')].map(li => li.dataset.imageId)"));
    }

    WebElement card(String imageId) {
        return browser.findElement(By.cssSelector("#gallery li[data-image-id='" + imageId + "']"));
    }

    /** Waits until the gallery shows exactly these images, in this order. */
    void awaitCards(String... imageIds) {
        try {
            wait.until(d -> cards().equals(List.of(imageIds)));
        } catch (TimeoutException e) {
            throw new AssertionError("the gallery shows " + cards() + ", not " + List.of(imageIds)
                    + " (error: " + js("const e = document.getElementById('gallery-error'); return e.hidden ? 'none' : e.textContent") + ")", e);
        }
    }

    /** A label as the page's URL carries it: percent-encoded, a space as %20. */
    static String encoded(String label) {
        return URLEncoder.encode(label, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A screenshot of the page, to target/screenshots/. */
    void save(String name) throws IOException {
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
    }
}
