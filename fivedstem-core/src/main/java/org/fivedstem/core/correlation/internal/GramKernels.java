/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.fivedstem.core.internal.Vectorization;

/**
 * Chooses the {@link GramKernel} the correlation uses, once per JVM: the Vector API kernel
 * ({@code PanamaGramKernel}) when {@link Vectorization#preferred()} says the Vector API runs here, the
 * scalar kernel otherwise, so the library runs on any Java 17 class path. Both give the same bits
 * ({@link GramKernel}'s contract), so the choice changes speed only. The choice and its reason are
 * logged once, at DEBUG, through {@link System.Logger}, and are available as {@link #description()}.
 */
public final class GramKernels {

    private static final String PANAMA = "org.fivedstem.core.correlation.internal.PanamaGramKernel";
    private static final Optional<GramKernel> VECTOR = Vectorization.load(PANAMA, GramKernel.class);
    private static final GramKernel PREFERRED = Vectorization.preferred() ? VECTOR.orElseThrow() : ScalarGramKernel.INSTANCE;
    private static final String DESCRIPTION = Vectorization.scalarReason().map(r -> "scalar: " + r)
        .orElseGet(() -> "Vector API, " + VECTOR.orElseThrow());

    static {
        System.getLogger(GramKernels.class.getName()).log(Level.DEBUG, "fivedstem Gram kernel: {0}", DESCRIPTION);
    }

    private GramKernels() {
    }

    /** @return the kernel to use on this JVM */
    public static GramKernel preferred() {
        return PREFERRED;
    }

    /**
     * @return every implementation that can run on this JVM, the scalar reference first (the Vector
     *     API kernel whenever its module is present, even when the property turned it off)
     */
    public static List<GramKernel> all() {
        List<GramKernel> all = new ArrayList<>(List.of(ScalarGramKernel.INSTANCE));
        VECTOR.ifPresent(all::add);
        return List.copyOf(all);
    }

    /**
     * @return which kernel {@link #preferred()} is and why, e.g. "Vector API, 512-bit (8 doubles)" or
     *     "scalar: jdk.incubator.vector is not in the boot layer (start Java with --add-modules
     *     jdk.incubator.vector)"
     */
    public static String description() {
        return DESCRIPTION;
    }
}
