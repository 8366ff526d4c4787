package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import digiads.MotoTestSupport;
import digiads.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator logs in to Hawtio in a real (headless) Chromium and finds the pipeline's routes in
 * the Camel view. Needs Debian's chromium and chromium-driver: .ci/run installs them; elsewhere
 * the test is skipped when they are missing.
 */
class HawtioBrowserTest extends MotoTestSupport {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> PIPELINE_ROUTES = List.of("image-events", "extract-metadata", "add-metadata",
            "delete-metadata", "get-metadata", "get-digiads");

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void startChromium() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
        profile = Files.createTempDirectory("digiads-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1600,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorLogsInAndSeesThePipelineRoutesInHawtio() throws IOException {
        putObject("hawtio.jpg", TestImages.jpeg(), "image/jpeg");
        awaitMetadata("hawtio.jpg");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        browser.get(managementUri("/actuator/hawtio/camel/routes").toString());
        wait.until(d -> !d.findElements(By.name("username")).isEmpty());
        assertThat(browser.getCurrentUrl()).as("the console asks for a login first").contains("/login");
        browser.findElement(By.name("username")).sendKeys(ADMIN_USER);
        browser.findElement(By.name("password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        wait.until(d -> d.getCurrentUrl().contains("/actuator/hawtio"));
        wait.until(d -> PIPELINE_ROUTES.stream().allMatch(route -> d.getPageSource().contains(route)));
        save("hawtio-camel-routes.png");

        assertThat(browser.getPageSource()).contains(PIPELINE_ROUTES);
    }

    private void save(String name) throws IOException {
        Path target = Files.createDirectories(Path.of("target", "screenshots")).resolve(name);
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
