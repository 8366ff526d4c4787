package digiads.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit: no wait when idle, batches of at most 10 while a call is in flight, an outcome per request, a flush at close. */
class GroupCommitTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** The entries of each call, in the order the calls were made. */
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstCallMayReturn = new CountDownLatch(1);
    private final CountDownLatch firstCallStarted = new CountDownLatch(1);

    @AfterEach
    void stop() {
        firstCallMayReturn.countDown();
        executor.shutdownNow();
    }

    /** A call that records its entries, fails those the predicate names, and holds the first call until released. */
    private GroupCommit.BatchCall<String> call(Predicate<String> fails) {
        return entries -> {
            calls.add(List.copyOf(entries.values()));
            if (calls.size() == 1) {
                firstCallStarted.countDown();
                awaitLatch(firstCallMayReturn);
            }
            Set<String> succeeded = new HashSet<>();
            Map<String, String> failed = new HashMap<>();
            entries.forEach((id, entry) -> {
                if (fails.test(entry)) {
                    failed.put(id, "InvalidParameterValue: " + entry + " refused");
                } else {
                    succeeded.add(id);
                }
            });
            return new GroupCommit.Outcome(succeeded, failed);
        };
    }

    private GroupCommit<String> batcher(GroupCommit.BatchCall<String> call) {
        return new GroupCommit<>("test", call, String::length, 1000, executor);
    }

    @Test
    void aRequestWhileNothingIsInFlightIsSentAtOnceAndAlone() throws Exception {
        List<List<String>> sent = new ArrayList<>();
        GroupCommit<String> batcher = new GroupCommit<>("test", entries -> {
            sent.add(List.copyOf(entries.values()));
            return new GroupCommit.Outcome(entries.keySet(), Map.of());
        }, String::length, 1000, Runnable::run);

        CompletableFuture<Void> first = batcher.submit("a");
        assertThat(first).as("sent within the submit: no waiting for a batch to fill").isDone();
        assertThat(first).isCompleted();
        assertThat(batcher.submit("b")).isCompleted();
        assertThat(sent).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void requestsThatComeWhileACallIsInFlightGoInBatchesOfAtMostTenAsSoonAsItReturns() throws Exception {
        GroupCommit<String> batcher = batcher(call(entry -> false));
        CompletableFuture<Void> first = batcher.submit("first");
        assertThat(firstCallStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            later.add(batcher.submit("m" + i));
        }
        assertThat(batcher.waiting()).as("collected while the first call is in flight").isEqualTo(25);
        assertThat(calls).hasSize(1);

        firstCallMayReturn.countDown();
        CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(first).isCompleted();
        assertThat(calls).extracting(List::size).containsExactly(1, 10, 10, 5);
        assertThat(calls.get(1)).as("in the order they came").startsWith("m0", "m1");
    }

    @Test
    void aBatchStaysWithinItsBytesAndAHeavyEntryGoesAlone() throws Exception {
        GroupCommit<String> batcher = new GroupCommit<>("test", call(entry -> false), String::length, 10, executor);
        batcher.submit("first");
        assertThat(firstCallStarted.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> later = List.of(batcher.submit("aaaa"), batcher.submit("bbbb"),
                batcher.submit("cccc"), batcher.submit("a much heavier entry"), batcher.submit("d"));
        firstCallMayReturn.countDown();
        CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(calls).containsExactly(List.of("first"), List.of("aaaa", "bbbb"), List.of("cccc"),
                List.of("a much heavier entry"), List.of("d"));
    }

    @Test
    void anEntryThatFailedFailsItsOwnRequestOnly() throws Exception {
        GroupCommit<String> batcher = batcher(call(entry -> entry.equals("bad")));
        batcher.submit("first");
        assertThat(firstCallStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> good = batcher.submit("good");
        CompletableFuture<Void> bad = batcher.submit("bad");
        CompletableFuture<Void> alsoGood = batcher.submit("also good");
        firstCallMayReturn.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> good.isDone() && bad.isDone() && alsoGood.isDone());
        assertThat(calls.get(1)).containsExactly("good", "bad", "also good");
        assertThat(good).isCompleted();
        assertThat(alsoGood).isCompleted();
        assertThat(bad).isCompletedExceptionally();
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, bad::get);
        assertThat(failure.getCause()).isInstanceOf(GroupCommit.EntryFailedException.class)
                .hasMessageContaining("bad refused");
    }

    @Test
    void anEntryTheAnswerDoesNotNameHasFailedAndAFailedCallFailsEachOfItsRequests() {
        GroupCommit<String> silent = new GroupCommit<>("test", entries -> new GroupCommit.Outcome(Set.of(), Map.of()),
                String::length, 1000, Runnable::run);
        assertThat(silent.submit("a")).isCompletedExceptionally();

        GroupCommit<String> broken = new GroupCommit<>("test", entries -> {
            throw new IllegalStateException("SQS is down");
        }, String::length, 1000, Runnable::run);
        CompletableFuture<Void> failed = broken.submit("a");
        assertThat(failed).isCompletedExceptionally();
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, failed::get);
        assertThat(failure.getCause()).hasMessageContaining("SQS is down");
        assertThat(broken.submit("b")).as("the next request is sent: a failed call leaves nothing in flight")
                .isCompletedExceptionally();
    }

    @Test
    void closeSendsWhatWaitsAndThenTakesNoMore() throws Exception {
        GroupCommit<String> batcher = batcher(call(entry -> false));
        batcher.submit("first");
        assertThat(firstCallStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> waiting = batcher.submit("waiting");
        CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> batcher.close(Duration.ofSeconds(5)), executor);
        await().atMost(Duration.ofSeconds(5)).until(batcher::closed);
        assertThat(closing).as("waits for the call in flight and what waits behind it").isNotDone();
        assertThat(waiting).isNotDone();
        firstCallMayReturn.countDown();

        assertThat(closing.get(5, TimeUnit.SECONDS)).as("flushed").isTrue();
        assertThat(waiting).isCompleted();
        assertThat(calls).containsExactly(List.of("first"), List.of("waiting"));
        assertThat(batcher.submit("late")).isCompletedExceptionally();
    }

    @Test
    void closeGivesUpAfterItsTimeout() throws Exception {
        GroupCommit<String> batcher = batcher(call(entry -> false));
        batcher.submit("first");
        assertThat(firstCallStarted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(batcher.close(Duration.ofMillis(50))).isFalse();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
