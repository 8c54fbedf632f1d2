package dev.faultline.ingest.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.contract.ContractViolation;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayRequestTest {

  @Test
  void parsesTheDocumentedShape() {
    GatewayRequest r =
        GatewayRequest.parseLine(
            "{\"model\":\"m\",\"ts\":\"2026-06-22T14:03:10.250Z\",\"status\":529,"
                + "\"latency_ms\":812.5,\"error\":\"overloaded\",\"infra\":{\"router\":\"r1\"}}",
            1);

    assertEquals("m", r.model());
    assertEquals(Instant.parse("2026-06-22T14:03:10.250Z"), r.ts());
    assertTrue(r.failed());
    assertEquals("529", r.errorCode());
    assertEquals("r1", r.infra().get("router"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ts\":\"2026-06-22T14:03:10Z\",\"status\":200,\"latency_ms\":1}|gateway_request.model",
        "{\"model\":\"m\",\"ts\":\"yesterday\",\"status\":200,\"latency_ms\":1}|gateway_request.ts",
        "{\"model\":\"m\",\"ts\":\"2026-06-22T14:03:10Z\",\"status\":\"200\",\"latency_ms\":1}|gateway_request.status",
        "{\"model\":\"m\",\"ts\":\"2026-06-22T14:03:10Z\",\"status\":700,\"latency_ms\":1}|gateway_request.status",
        "{\"model\":\"m\",\"ts\":\"2026-06-22T14:03:10Z\",\"status\":200,\"latency_ms\":-1}|gateway_request.latency_ms",
        "{\"model\":\"m\",\"ts\":\"2026-06-22T14:03:10Z\",\"status\":200,\"latency_ms\":1,\"infra\":{\"a\":1}}|gateway_request.infra.a",
      })
  void namesTheLineAndFieldOfABadRequest(String line, String field) {
    ContractViolation e =
        assertThrows(ContractViolation.class, () -> GatewayRequest.parseLine(line, 7));

    assertEquals(field, e.field());
    assertTrue(e.getMessage().startsWith("line 7: " + field), e.getMessage());
  }

  @Test
  void countsANoResponseAsAnErrorByItsReason() {
    GatewayRequest r =
        GatewayRequest.parseLine(
            "{\"model\":\"m\",\"ts\":\"2026-06-22T14:03:10Z\",\"status\":0,\"latency_ms\":30000,"
                + "\"error\":\"timeout\"}",
            1);

    assertTrue(r.failed());
    assertEquals("timeout", r.errorCode());
  }
}
