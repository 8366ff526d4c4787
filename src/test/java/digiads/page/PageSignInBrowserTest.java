package digiads.page;

import static digiads.page.PageBrowser.encoded;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import digiads.MotoTestSupport;
import digiads.local.LocalIssuer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in to the page in a real browser: a user signs in at the issuer and comes back to the
 * gallery, the session an HttpOnly cookie the page's script cannot read; after signing out, a shared
 * link to a filter leads through the sign-in to that filter. In order, in a browser that has never
 * signed in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PageSignInBrowserTest extends MotoTestSupport {

    /** A label of this run, which no image carries. */
    private static final String KAYAK = "Kayak " + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final PageBrowser page = PageBrowser.signedOut();

    private final ChromeDriver browser = page.browser();
    private final WebDriverWait wait = page.waits();

    @Test
    @Order(1)
    void aUserSignsInAtTheIssuerAndComesBackToTheGallery() {
        browser.get(page.home());
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("sign-in")).click();

        wait.until(d -> !d.findElements(By.name("username")).isEmpty());
        assertThat(browser.getCurrentUrl()).startsWith(LocalIssuer.shared().url());
        page.enterTheUsersPassword();

        wait.until(d -> d.findElement(By.id("gallery-view")).isDisplayed());
        assertThat(browser.getCurrentUrl()).startsWith(page.home());
        assertThat(page.text("user-name")).isEqualTo(PageBrowser.USER);
        // the tokens stay on the server: the browser holds an HttpOnly session cookie and nothing else of the sign-in
        assertThat(browser.manage().getCookieNamed("digiads-session").isHttpOnly()).isTrue();
        assertThat((String) page.js("return document.cookie")).doesNotContain("digiads-session");
        page.awaitLive();
    }

    @Test
    @Order(2)
    void aSharedLinkToAFilterLeadsThereThroughTheSignIn() {
        page.showGallery();
        browser.findElement(By.cssSelector("#sign-out button")).click();
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());

        browser.get(page.home() + "#/?label=" + encoded(KAYAK));
        wait.until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        browser.findElement(By.id("sign-in")).click();
        // the issuer asks for the password again unless its own session still lasts
        page.signInAtTheIssuer();

        wait.until(d -> "Images labeled “" + KAYAK + "”".equals(page.text("gallery-title")));
        assertThat((String) page.js("return location.hash")).isEqualTo("#/?label=" + encoded(KAYAK));
        page.awaitCards();
        wait.until(d -> d.findElement(By.id("gallery-empty")).isDisplayed());
    }
}
