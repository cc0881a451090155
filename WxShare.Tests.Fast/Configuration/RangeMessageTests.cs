using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>The validators share one range check (<see cref="SettingErrors"/>): their messages stay word for word what operators read.</summary>
public sealed class RangeMessageTests
{
    [Fact]
    public void A_number_out_of_range_is_named_with_its_bounds()
    {
        Assert.Equal(["WeChat__RequestTimeoutSeconds must be between 1 and 120.", "WeChat__RetryDelayMilliseconds must be between 0 and 30000."],
            Failures(new WeChatOptionsValidator().Validate(null, new WeChatOptions { RequestTimeoutSeconds = 0, RetryDelayMilliseconds = 30_001 })));
        Assert.Equal(["Signing__TicketCacheSeconds must be between 1 and 60."],
            Failures(new SigningOptionsValidator().Validate(null, new SigningOptions { TicketCacheSeconds = 61 })));
        Assert.Equal(["Storage__ColdReadTimeoutSeconds must be between 1 and 10.", "Storage__ColdReadRetries must be between 0 and 5."],
            Failures(new StorageOptionsValidator().Validate(null,
                new StorageOptions { ConnectionString = "UseDevelopmentStorage=true", ColdReadTimeoutSeconds = 0, ColdReadRetries = 6 })));
    }

    [Fact]
    public void The_report_totals_are_compared_only_once_both_are_in_range()
    {
        Assert.Equal(["Reports__TotalPerMinute must be between 1 and 100000."],
            Failures(new FieldReportOptionsValidator().Validate(null, new FieldReportOptions { TotalPerMinute = 0 })));
        Assert.Equal(["Reports__TotalPerMinute (5) is below Reports__PerAddressPerMinute (10): the total limit covers all addresses together."],
            Failures(new FieldReportOptionsValidator().Validate(null, new FieldReportOptions { TotalPerMinute = 5 })));
        Assert.True(new FieldReportOptionsValidator().Validate(null, new FieldReportOptions()).Succeeded);
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failures ?? [];
}
