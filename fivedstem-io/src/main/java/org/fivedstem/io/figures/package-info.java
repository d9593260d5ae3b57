/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Figures of analysis results: pixel-exact maps with viridis colour bars and scale bars
 * ({@link org.fivedstem.io.figures.MapFigure}), and charts drawn with XChart — the τ–V scatter,
 * g(t) curves with KWW fits, V(Q) profiles, the Arrhenius plot and the temperature-series panel.
 *
 * <p>XChart was chosen over JFreeChart: it is Apache-2.0 licensed (JFreeChart is LGPL), small,
 * renders headless to PNG and to SVG (through VectorGraphics2D) without extra code, and has the
 * error bars and logarithmic axes these figures need. Maps are drawn directly with Java2D so that
 * each scan position is an exact block of screen pixels.
 *
 * <p>Every figure is written through a temporary file that is moved into place.
 */
package org.fivedstem.io.figures;
