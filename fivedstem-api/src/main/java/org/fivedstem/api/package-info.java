/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The immutable types and contracts of fivedstem: the recording ({@link org.fivedstem.api.Dataset5D},
 * its {@link org.fivedstem.api.Calibration}, {@link org.fivedstem.api.PatternStorage}), the
 * annulus of diffraction pixels the paper's averages run over ({@link org.fivedstem.api.AnnulusMask}),
 * and the results: {@link org.fivedstem.api.CorrelationCurve}, {@link org.fivedstem.api.KwwFit},
 * {@link org.fivedstem.api.HeterogeneityMaps}, {@link org.fivedstem.api.RankCorrelation},
 * {@link org.fivedstem.api.ArrheniusFit}.
 *
 * <p>Units are in names or Javadoc: seconds, nm (real space), nm⁻¹ (reciprocal space), kelvin,
 * kJ/mol. Algorithms live in {@code fivedstem-core}; this module has no dependencies.
 */
package org.fivedstem.api;
