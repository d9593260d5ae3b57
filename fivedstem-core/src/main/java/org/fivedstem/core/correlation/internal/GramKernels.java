/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the {@link GramKernel} the correlation uses, once per JVM, the way Lucene's
 * {@code VectorizationProvider} does: the Vector API kernel ({@code PanamaGramKernel}) when the
 * incubating module {@code jdk.incubator.vector} is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, as the {@code ./fivedstem} launcher does) and the
 * platform's preferred vectors hold at least two doubles; the scalar kernel otherwise, so the library
 * runs on any Java 17 class path. System property {@value #PROPERTY}{@code =false} forces the scalar
 * kernel. Both give the same bits ({@link GramKernel}'s contract), so the choice changes speed only.
 * The choice and its reason are logged once, at DEBUG, through {@link System.Logger}, and are
 * available as {@link #description()}.
 */
public final class GramKernels {

    /** The system property that, set to {@code false}, keeps the scalar kernel. */
    public static final String PROPERTY = "fivedstem.vectorization";

    private static final String PANAMA = "org.fivedstem.core.correlation.internal.PanamaGramKernel";
    private static final Choice CHOICE = choose();

    private record Choice(GramKernel kernel, GramKernel vector, String description) {
    }

    private GramKernels() {
    }

    /** @return the kernel to use on this JVM */
    public static GramKernel preferred() {
        return CHOICE.kernel();
    }

    /**
     * @return every implementation that can run on this JVM, the scalar reference first (the Vector
     *     API kernel whenever its module is present, even when the property turned it off)
     */
    public static List<GramKernel> all() {
        List<GramKernel> all = new ArrayList<>(List.of(ScalarGramKernel.INSTANCE));
        if (CHOICE.vector() != null) {
            all.add(CHOICE.vector());
        }
        return List.copyOf(all);
    }

    /**
     * @return which kernel {@link #preferred()} is and why, e.g. "Vector API, 512-bit (8 doubles)" or
     *     "scalar: jdk.incubator.vector is not in the boot layer (start Java with --add-modules
     *     jdk.incubator.vector)"
     */
    public static String description() {
        return CHOICE.description();
    }

    private static Choice choose() {
        Optional<Module> vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector");
        GramKernel vector = null;
        String reason;
        if (vectorModule.isEmpty()) {
            reason = "jdk.incubator.vector is not in the boot layer (start Java with --add-modules jdk.incubator.vector)";
        } else {
            try {
                // On the module path this module does not declare that it reads the incubating module
                // (which would make it required); it adds the edge itself before loading the kernel.
                GramKernels.class.getModule().addReads(vectorModule.get());
                GramKernel k = (GramKernel) Class.forName(PANAMA).getField("INSTANCE").get(null);
                int bits = (int) Class.forName(PANAMA).getMethod("vectorBits").invoke(null);
                if (bits >= 128) {
                    vector = k;
                    reason = null;
                } else {
                    reason = "the platform's vectors hold one double (" + bits + " bits)";
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                reason = "the Vector API kernel did not load (" + e + ")";
            }
        }
        boolean off = "false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
        Choice choice;
        if (vector != null && !off) {
            choice = new Choice(vector, vector, "Vector API, " + vector);
        } else {
            choice = new Choice(ScalarGramKernel.INSTANCE, vector,
                "scalar: " + (vector != null ? "-D" + PROPERTY + "=false" : reason));
        }
        System.getLogger(GramKernels.class.getName()).log(Level.DEBUG, "fivedstem Gram kernel: {0}", choice.description());
        return choice;
    }
}
