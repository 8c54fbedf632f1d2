/** GPU memory pressure per GPU, keyed by GPU: precursors that name the models a GPU serves. */
package dev.faultline.jobs.gpu;
