package digiads.deals;

import java.math.BigDecimal;

/** One offer from the Deals API. */
public record Deal(String id, String title, BigDecimal price, String currency, String merchant, String url) {
}
