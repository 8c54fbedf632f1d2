package dev.faultline.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.storage.settings.CostModel;
import dev.faultline.storage.settings.User;
import dev.faultline.ui.security.Actor;
import dev.faultline.ui.settings.SettingsService;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsServiceTest {

  @Test
  void slaTiersParseHighestThresholdFirstAndFormatBack() {
    List<CostModel.SlaCreditTier> tiers = SettingsService.parseTiers("95:100, 99.9:10,99:25");
    assertEquals(new BigDecimal("99.9"), tiers.get(0).belowPct());
    assertEquals(new BigDecimal("100"), tiers.get(2).creditPct());
    assertEquals("99.9:10, 99:25, 95:100", SettingsService.formatTiers(tiers));
  }

  @Test
  void aBadTierNamesTheFieldAndThePart() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SettingsService.parseTiers("99.9:10, x"));
    assertTrue(e.getMessage().contains("SLA credit tiers") && e.getMessage().contains("'x'"));
  }

  @Test
  void onlyAdminsAdministerAndManagersDoNotRespond() {
    assertTrue(new Actor("a", User.Role.ADMIN).canAdminister());
    assertTrue(new Actor("s", User.Role.SRE).canRespond());
    assertThrows(
        SecurityException.class, () -> new Actor("m", User.Role.MANAGER).requireResponder("ack"));
    assertThrows(SecurityException.class, () -> new Actor("s", User.Role.SRE).requireAdmin("edit"));
  }
}
