package io.tributary.kafka.fuzz;

import io.tributary.kafka.network.RequestSamples;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameMutatorTest {
    @Test
    void theSameSeedMakesTheSameFramesAndAnotherSeedOthers() {
        List<byte[]> samples = RequestSamples.payloads();

        List<String> first = frames(new FrameMutator(samples, 42), 500);

        assertThat(frames(new FrameMutator(samples, 42), 500)).isEqualTo(first);
        assertThat(frames(new FrameMutator(samples, 43), 500)).isNotEqualTo(first);
    }

    @Test
    void framesAreMutatedAndMostlyCarryTheirTrueSize() {
        List<byte[]> samples = RequestSamples.payloads();
        java.util.Set<String> originals = new java.util.HashSet<>(samples.stream().map(FrameMutatorTest::hex).toList());
        FrameMutator mutator = new FrameMutator(samples, 7);

        int trueSize = 0;
        int unchanged = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] frame = mutator.next();
            ByteBuffer b = ByteBuffer.wrap(frame);
            if (b.getInt(0) == frame.length - 4) {
                trueSize++;
            }
            byte[] payload = java.util.Arrays.copyOfRange(frame, 4, frame.length);
            if (payload.length >= 8) {
                ByteBuffer.wrap(payload).putInt(4, 0); // the samples carry correlation id 0
            }
            if (originals.contains(hex(payload))) {
                unchanged++;
            }
        }

        assertThat(trueSize).as("size prefix right about 9 in 10").isBetween(8_500, 9_500);
        assertThat(unchanged).as("frames identical to a sample").isLessThan(500);
    }

    @Test
    void noSamplesIsRefused() {
        assertThatThrownBy(() -> new FrameMutator(List.of(), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> frames(FrameMutator mutator, int n) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(hex(mutator.next()));
        }
        return frames;
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
