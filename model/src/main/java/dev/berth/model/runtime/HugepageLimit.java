package dev.berth.model.runtime;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.berth.model.UnknownFields;
import java.util.Map;

/** A hugetlb limit for one page size ("2MB", "1GB"). */
public record HugepageLimit(
    String pageSize, Long limit, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
  public HugepageLimit {
    extra = UnknownFields.copy(extra);
  }
}
