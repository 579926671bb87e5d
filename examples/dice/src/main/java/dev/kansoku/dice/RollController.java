package dev.kansoku.dice;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /rolldice[?player=NAME]} answers a number from 1 to 6 and logs who rolled it, as the
 * OpenTelemetry Java getting-started app does. Two extra parameters let a load generator make the
 * outliers and errors an APM is for: {@code delayMs} (0 to 10000) makes the roll slow, {@code fail=true}
 * makes it throw, which Spring answers with a 500.
 */
@RestController
public class RollController {
  private static final Logger logger = LoggerFactory.getLogger(RollController.class);
  private static final int MAX_DELAY_MS = 10_000;

  @GetMapping("/rolldice")
  public String rollDice(@RequestParam(required = false) String player,
      @RequestParam(defaultValue = "0") int delayMs,
      @RequestParam(defaultValue = "false") boolean fail) throws InterruptedException {
    if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "delayMs: " + delayMs + " (expected: 0 to " + MAX_DELAY_MS + ")");
    }
    if (delayMs > 0) {
      Thread.sleep(delayMs);
    }
    if (fail) {
      throw new IllegalStateException("the die rolled off the table");
    }
    int result = ThreadLocalRandom.current().nextInt(1, 7);
    if (player == null || player.isBlank()) {
      logger.info("Anonymous player is rolling the dice: {}", result);
    } else {
      logger.info("{} is rolling the dice: {}", player, result);
    }
    return Integer.toString(result);
  }
}
