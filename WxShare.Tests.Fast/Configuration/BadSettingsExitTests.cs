using Microsoft.Extensions.Options;
using WxShare.Configuration;

namespace WxShare.Functions.Tests.Configuration;

/// <summary>How both Program.cs end on a bad setting: the messages alone, exit code 1; anything else still throws.</summary>
public sealed class BadSettingsExitTests
{
    [Fact]
    public void A_validation_failure_prints_each_message_and_returns_1()
    {
        var error = new StringWriter();

        var exitCode = BadSettingsExit.Run(() => throw new OptionsValidationException("WeChat", typeof(object), ["WeChat__AppId is not set.", "Signing__AllowedDomains is not set."]), error);

        Assert.Equal(1, exitCode);
        Assert.Equal(["WxShare did not start: a setting is missing or wrong.", "  WeChat__AppId is not set.", "  Signing__AllowedDomains is not set."],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_failures_of_several_options_arrive_together_and_are_all_printed()
    {
        var error = new StringWriter();
        var several = new AggregateException(
            new OptionsValidationException("A", typeof(object), ["Refresh__MaxAgeMinutes is out of range."]),
            new OptionsValidationException("B", typeof(object), ["Storage__TableName is invalid."]));

        Assert.Equal(1, BadSettingsExit.Run(() => throw several, error));
        Assert.Contains("Refresh__MaxAgeMinutes", error.ToString());
        Assert.Contains("Storage__TableName", error.ToString());
    }

    [Fact]
    public void Any_other_exception_is_not_a_bad_setting_and_keeps_its_stack_trace()
    {
        Assert.Throws<InvalidOperationException>(() => BadSettingsExit.Run(() => throw new InvalidOperationException("a bug"), new StringWriter()));
        Assert.Empty(BadSettingsExit.Failures(new AggregateException(new OptionsValidationException("A", typeof(object), ["x"]), new InvalidOperationException())));
    }
}
