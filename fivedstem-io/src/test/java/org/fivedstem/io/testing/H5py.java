/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python scripts with h5py (Debian's python3-h5py under /usr/bin/python3), for tests that
 * check our files against libhdf5. Tests are skipped (JUnit assumption) where h5py is not
 * importable, like jhdf's tests gated on h5dump. Another interpreter with h5py can be named with
 * the system property {@code fivedstem.python}, e.g.
 * {@code mvn test -Dfivedstem.python=$(pyenv which python3)}.
 */
public final class H5py {

    private static final String PYTHON = System.getProperty("fivedstem.python", "/usr/bin/python3");
    private static Boolean available;

    private H5py() {
    }

    /** @return whether {@code /usr/bin/python3 -c "import h5py, numpy"} (or the chosen interpreter) succeeds */
    public static synchronized boolean isAvailable() {
        if (available == null) {
            try {
                available = Files.isExecutable(Path.of(PYTHON)) && exec(List.of(PYTHON, "-c", "import h5py, numpy")).exit == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        return available;
    }

    /**
     * Runs a script (skipping the test without h5py) and returns its standard output.
     *
     * @param script Python source
     * @param args arguments ({@code sys.argv[1:]})
     * @return standard output
     * @throws IOException if the script fails (its stderr is in the message)
     */
    public static String run(String script, String... args) throws IOException {
        assumeTrue(isAvailable(), "python3-h5py is not installed");
        List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON, "-c", script));
        cmd.addAll(List.of(args));
        Result r = exec(cmd);
        if (r.exit != 0) {
            throw new IOException("python failed (" + r.exit + "):\n" + r.err + "\n" + r.out);
        }
        return r.out;
    }

    private static Result exec(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("PYTHONPATH");
        Path out = Files.createTempFile("h5py", ".out");
        Path err = Files.createTempFile("h5py", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }
}
