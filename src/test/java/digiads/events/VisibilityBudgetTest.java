package digiads.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class VisibilityBudgetTest {

    private static Map<String, Duration> steps(long... millis) {
        Map<String, Duration> steps = new LinkedHashMap<>();
        for (int i = 0; i < millis.length; i++) {
            steps.put("step" + i, Duration.ofMillis(millis[i]));
        }
        return steps;
    }

    @Test
    void theWorstCaseIsEveryStepAtItsLimitForEveryMessageOfTheBatch() {
        VisibilityBudget budget = new VisibilityBudget("q", 3, steps(5000, 2500, 20000), Duration.ZERO, Duration.ofSeconds(90), true);
        assertThat(budget.worstPerMessage()).isEqualTo(Duration.ofMillis(27500));
        assertThat(budget.worstPerBatch()).isEqualTo(Duration.ofMillis(82500));
        assertThat(budget.problems()).isEmpty();
    }

    @Test
    void theDeleteOfADoneMessageIsWaitedForOnceNotAfterEveryMessage() {
        VisibilityBudget budget = new VisibilityBudget("q", 3, steps(5000, 2500), Duration.ofSeconds(10),
                Duration.ofMillis(32500), true);
        assertThat(budget.worstPerMessage()).isEqualTo(Duration.ofMillis(7500));
        assertThat(budget.worstPerBatch()).isEqualTo(Duration.ofMillis(32500));
        assertThat(budget.problems()).isEmpty();
        assertThat(new VisibilityBudget("q", 3, steps(5000, 2500), Duration.ofMillis(10001), Duration.ofMillis(32500), true)
                .problems()).singleElement().asString().contains("a batch of 3 may be held 32.501 s")
                .contains("(step0 5.0 s + step1 2.5 s) + SQS delete 10.001 s)");
    }

    @Test
    void aBatchThatFitsExactlyIsAccepted() {
        assertThat(new VisibilityBudget("q", 2, steps(20000, 10000), Duration.ZERO, Duration.ofSeconds(60), true).problems()).isEmpty();
    }

    @Test
    void aBatchLongerThanTheTimeoutIsRefusedWithItsArithmetic() {
        VisibilityBudget budget = new VisibilityBudget("digiads-s3-events", 10, steps(5000, 2500), Duration.ZERO, Duration.ofSeconds(60), true);
        assertThat(budget.problems()).singleElement().asString()
                .contains("digiads-s3-events: a batch of 10 may be held 75.0 s")
                .contains("(step0 5.0 s + step1 2.5 s)")
                .contains("longer than the visibility timeout of 60 s");
    }

    @Test
    void oneMillisecondOverIsOver() {
        assertThat(new VisibilityBudget("q", 1, steps(60001), Duration.ZERO, Duration.ofSeconds(60), true).problems()).hasSize(1);
    }

    @Test
    void aConsumerThatDoesNotExtendIsRefused() {
        assertThat(new VisibilityBudget("q", 1, steps(1000), Duration.ZERO, Duration.ofSeconds(60), false).problems())
                .containsExactly("q: the consumer must extend the visibility of the messages it holds");
    }

    @Test
    void aConsumerTakesAtLeastOneMessage() {
        assertThat(new VisibilityBudget("q", 0, steps(1000), Duration.ZERO, Duration.ofSeconds(60), true).problems())
                .containsExactly("q: a consumer takes at least one message at a time, not 0");
        assertThat(new VisibilityBudget("q", 1, steps(1000), Duration.ZERO, Duration.ofSeconds(60), true).problems()).isEmpty();
    }

    @Test
    void theStepsAreCopied() {
        Map<String, Duration> steps = steps(1000);
        VisibilityBudget budget = new VisibilityBudget("q", 1, steps, Duration.ZERO, Duration.ofSeconds(60), true);
        steps.put("later", Duration.ofHours(1));
        assertThat(budget.worstPerMessage()).isEqualTo(Duration.ofSeconds(1));
    }
}
