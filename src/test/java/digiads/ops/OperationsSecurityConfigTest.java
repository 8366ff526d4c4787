package digiads.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.mock.env.MockEnvironment;

/** No app without a management port of its own, nor without an operator password (but for the local profile). */
class OperationsSecurityConfigTest {

    private final OperationsSecurityConfig config = new OperationsSecurityConfig();

    @Test
    void withoutAPasswordTheAppRefusesToStartAndSaysWhy() {
        assertThatThrownBy(() -> config.operator(new SecurityProperties(), new MockEnvironment()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SPRING_SECURITY_USER_PASSWORD");
    }

    @Test
    void theLocalProfileRunsWithAGeneratedPassword() {
        MockEnvironment local = new MockEnvironment();
        local.setActiveProfiles("local");

        assertThat(config.operator(new SecurityProperties(), local).userExists("user")).isTrue();
    }

    @Test
    void aGivenPasswordIsTheOperatorsWhatEverTheProfile() {
        SecurityProperties security = new SecurityProperties();
        security.getUser().setName("operator");
        security.getUser().setPassword("s3cret");
        security.getUser().setRoles(java.util.List.of("ADMIN"));

        var user = config.operator(security, new MockEnvironment()).loadUserByUsername("operator");

        assertThat(user.getPassword()).isEqualTo("{noop}s3cret");
        assertThat(user.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
    }

    @Test
    void operationsNeedAPortOfTheirOwn() {
        assertThatThrownBy(() -> OperationsSecurityConfig.requireManagementPort(new MockEnvironment()))
                .hasMessageContaining("management.server.port");
        assertThatThrownBy(() -> OperationsSecurityConfig.requireManagementPort(new MockEnvironment()
                .withProperty("server.port", "8080").withProperty("management.server.port", "8080")))
                .hasMessageContaining("management.server.port");

        OperationsSecurityConfig.requireManagementPort(new MockEnvironment()
                .withProperty("server.port", "8080").withProperty("management.server.port", "8081"));
    }
}
