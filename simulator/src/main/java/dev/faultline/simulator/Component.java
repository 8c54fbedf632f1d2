package dev.faultline.simulator;

import java.util.Objects;

/** One shared infrastructure component: a layer name and the component's id in that layer. */
public record Component(String layer, String id) {

  public Component {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String toString() {
    return layer + "=" + id;
  }
}
