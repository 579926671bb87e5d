package dev.kansoku.dice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The seed article's sample service: one endpoint, {@code GET /rolldice}, on port 8080 ({@code server.port}). */
@SpringBootApplication
public class DiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(DiceApplication.class, args);
  }
}
