/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.internal;

import java.util.Optional;

/**
 * Whether this JVM runs the kernels written on the JDK Vector API ({@code src/main/panama}), decided
 * once, the way Lucene's {@code VectorizationProvider} does: the incubating module
 * {@code jdk.incubator.vector} must be in the boot layer ({@code --add-modules
 * jdk.incubator.vector}; the {@code ./fivedstem} launcher adds it), the platform's preferred vectors
 * must hold at least two doubles, and system property {@value #PROPERTY} must not be {@code false}.
 * Every vector kernel gives its scalar twin's bits, so the decision changes speed only. The one
 * place that loads the vector classes; the kernel choosers ({@code GramKernels}, {@code RunSums})
 * ask it.
 */
public final class Vectorization {

    /** The system property that, set to {@code false}, keeps the scalar kernels. */
    public static final String PROPERTY = "fivedstem.vectorization";

    private static final String PROBE = "org.fivedstem.core.correlation.internal.PanamaGramKernel";
    /** Why the vector kernels cannot run here; null when they can. */
    private static final String UNAVAILABLE = probe();
    private static final boolean OFF = "false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));

    private Vectorization() {
    }

    private static String probe() {
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty()) {
            return "jdk.incubator.vector is not in the boot layer (start Java with --add-modules jdk.incubator.vector)";
        }
        try {
            // On the module path this module does not declare that it reads the incubating module
            // (which would make it required); it adds the edge itself before loading a vector class.
            Vectorization.class.getModule().addReads(vector.get());
            int bits = (int) Class.forName(PROBE).getMethod("vectorBits").invoke(null);
            return bits >= 128 ? null : "the platform's vectors hold one double (" + bits + " bits)";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "the Vector API kernels did not load (" + e + ")";
        }
    }

    /**
     * @param className a vector kernel with a public static {@code INSTANCE}
     * @param type what it implements
     * @param <T> the type
     * @return the instance whenever the Vector API can run here — also when {@value #PROPERTY} turned
     *     it off, so that tests can run both kernels; empty otherwise
     */
    public static <T> Optional<T> load(String className, Class<T> type) {
        if (UNAVAILABLE != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(type.cast(Class.forName(className).getField("INSTANCE").get(null)));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new IllegalStateException("the vector kernel " + className + " did not load", e);
        }
    }

    /** @return whether the vector kernels are to be preferred: available here and not turned off */
    public static boolean preferred() {
        return UNAVAILABLE == null && !OFF;
    }

    /** @return why the scalar kernels run ("-Dfivedstem.vectorization=false", or what is missing); empty when the vector ones do */
    public static Optional<String> scalarReason() {
        return UNAVAILABLE != null ? Optional.of(UNAVAILABLE) : OFF ? Optional.of("-D" + PROPERTY + "=false") : Optional.empty();
    }
}
