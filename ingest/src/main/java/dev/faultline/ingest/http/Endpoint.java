package dev.faultline.ingest.http;

/**
 * Serves one route once the listener has checked the method, the token and the size and read the
 * whole body. Runs on the route's own {@link EndpointPool}, so it may block (on Kafka acks), never
 * for longer than it documents.
 */
@FunctionalInterface
public interface Endpoint {

  Reply handle(Call call);
}
