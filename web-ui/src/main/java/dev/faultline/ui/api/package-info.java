/**
 * The REST API ({@code /api/v1}, JSON): incidents, their timelines, post-mortems, cost, and
 * acknowledging, annotating and silencing them. Thin over the services the views use; the services
 * check the roles. Authenticated by bearer tokens ({@code security.ApiTokens}); described by {@code
 * api/openapi.json}.
 */
package dev.faultline.ui.api;
