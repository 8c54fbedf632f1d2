/**
 * What each signed-in user sets for themselves: the time zone every page and export shows times in
 * (default: the browser's) and their password.
 */
package dev.faultline.ui.account;
