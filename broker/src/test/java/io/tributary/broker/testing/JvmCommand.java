package io.tributary.broker.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a small, quick-starting child JVM: the java binary of the JVM running the tests, a capped
 * heap, the serial collector and C1 only (children live seconds; C2 and parallel GC threads cost more than they
 * give on a shared two-core machine), then any extra JVM options, the class path, the main class and its
 * arguments.
 */
public final class JvmCommand {
    private final String heap;
    private final List<String> options = new ArrayList<>();
    private String classPath = System.getProperty("java.class.path");

    private JvmCommand(String heap) {
        this.heap = heap;
    }

    /** A command with {@code -Xmx<heap>} (for example {@code 256m}) on the test JVM's own class path. */
    public static JvmCommand withHeap(String heap) {
        return new JvmCommand(heap);
    }

    /** The java binary of the JVM running the tests. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Adds a JVM option such as {@code -Dkey=value}, placed before {@code -cp}. */
    public JvmCommand option(String option) {
        options.add(option);
        return this;
    }

    /** Replaces the class path (by default the test JVM's {@code java.class.path}). */
    public JvmCommand classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /** The full command line: java, JVM options, {@code -cp}, {@code mainClass}, {@code args}. */
    public List<String> run(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(options);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
