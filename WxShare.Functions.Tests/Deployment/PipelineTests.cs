using System.Text.RegularExpressions;
using WxShare.Functions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>azure-pipelines.yml and azure.yaml parse as YAML and say what docs/deploy.md promises.</summary>
public sealed partial class PipelineTests
{
    private const string SecretVariable = "WECHAT_APP_SECRET";

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, file));
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>Stages, looking inside compile-time <c>${{ if … }}</c> insertions; each with the condition that holds it.</summary>
    private static List<(YamlMappingNode Stage, string? Insertion)> Stages()
    {
        var stages = new List<(YamlMappingNode, string?)>();
        foreach (var item in ((YamlSequenceNode)Child(Load("azure-pipelines.yml"), "stages")!).Children.Cast<YamlMappingNode>())
        {
            if (Child(item, "stage") is not null)
            {
                stages.Add((item, null));
                continue;
            }
            foreach (var (condition, inserted) in item.Children)
                foreach (var stage in ((YamlSequenceNode)inserted).Children.Cast<YamlMappingNode>())
                    stages.Add((stage, ((YamlScalarNode)condition).Value));
        }
        return stages;
    }

    private static YamlMappingNode Stage(string name) => Stages().Single(s => Scalar(s.Stage, "stage") == name).Stage;

    /// <summary>Every step of a stage's jobs, in order.</summary>
    private static List<YamlMappingNode> Steps(YamlMappingNode stage) =>
        ((YamlSequenceNode)Child(stage, "jobs")!).Children
            .SelectMany(job => ((YamlSequenceNode)Child(job, "steps")!).Children.Cast<YamlMappingNode>()).ToList();

    private static string Text(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [Fact]
    public void The_pipeline_has_the_four_stages_in_order()
    {
        Assert.Equal(["Build", "ValidateInfra", "Package", "Deploy"], Stages().Select(s => Scalar(s.Stage, "stage")));
    }

    [Fact]
    public void Build_runs_the_ci_script_and_validate_builds_the_bicep()
    {
        Assert.Contains(Steps(Stage("Build")), s => Scalar(s, "script") == "bash .ci/run");
        var validate = Text(Stage("ValidateInfra"));
        Assert.Contains("build infra/main.bicep", validate);
        Assert.Contains("lint infra/main.bicep", validate);
        Assert.Contains(Steps(Stage("Package")), s => Scalar(s, "task") == "ArchiveFiles@2" && Scalar(Child(s, "inputs")!, "archiveType") == "zip");
    }

    [Fact]
    public void Deploy_runs_only_on_main_and_only_with_a_service_connection()
    {
        var (deploy, insertion) = Stages().Single(s => Scalar(s.Stage, "stage") == "Deploy");
        Assert.Contains("azureServiceConnection", insertion);
        Assert.Contains("ne(", insertion);
        Assert.Contains("refs/heads/main", Scalar(deploy, "condition"));
        Assert.Contains("succeeded()", Scalar(deploy, "condition"));
    }

    [Fact]
    public void Deploy_runs_the_bicep_deployment_then_the_flex_consumption_zip_deploy()
    {
        var steps = Steps(Stage("Deploy"));
        var bicep = steps.FindIndex(s => Scalar(s, "task") == "AzureCLI@2"
                                         && Scalar(Child(s, "inputs")!, "inlineScript")!.Contains("az deployment sub create", StringComparison.Ordinal));
        var zip = steps.FindIndex(s => Scalar(s, "task") == "AzureFunctionApp@2");
        Assert.True(bicep >= 0 && zip > bicep, "The Bicep deployment must come before AzureFunctionApp@2.");
        var inputs = Child(steps[zip], "inputs")!;
        Assert.Equal("true", Scalar(inputs, "isFlexConsumption"));
        Assert.Equal("functionAppLinux", Scalar(inputs, "appType"));
        // The appSettings input trips a FunctionAppScaleLimit error on Flex (azure-pipelines-tasks #22254).
        Assert.Null(Child(inputs, "appSettings"));
    }

    /// <summary>
    /// Azure Pipelines' macro expansion of a step's script and env values: <c>$(name)</c> becomes the variable's value,
    /// secret or not; a variable that is not defined leaves its macro as written.
    /// </summary>
    private static string ExpandMacros(string text, IReadOnlyDictionary<string, string> variables) =>
        Macro().Replace(text, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"\$\(([A-Za-z0-9_.]+)\)")]
    private static partial Regex Macro();

    /// <summary>The Deploy stage's secret check, expanded as Pipelines expands it and run as its agent runs a script step.</summary>
    private static Task<BashScript.Result> RunSecretCheckAsync(IReadOnlyDictionary<string, string> variables)
    {
        var check = Steps(Stage("Deploy")).Single(s => Scalar(s, "script")?.Contains(".ci/require-secret", StringComparison.Ordinal) == true);
        var environment = ((YamlMappingNode)Child(check, "env")!).Children
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (string?)ExpandMacros(((YamlScalarNode)e.Value).Value!, variables));
        // The agent passes no secret variable into the environment by itself.
        environment.TryAdd(SecretVariable, null);
        return BashScript.RunAsync(ExpandMacros(Scalar(check, "script")!, variables), environment);
    }

    [Fact]
    public async Task The_deploy_stage_secret_check_passes_when_the_secret_variable_is_set()
    {
        // Shaped like an AppSecret (32 hex digits).
        const string secret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        var result = await RunSecretCheckAsync(new Dictionary<string, string> { [SecretVariable] = secret, ["WXSHARE_OPERATOR_KEY"] = secret + "-operator" });

        Assert.True(result.ExitCode == 0, $"The check failed with the secret set:\n{result.Output.Replace(secret, "***")}");
        Assert.DoesNotContain(secret, result.Output);
    }

    [Fact]
    public async Task The_deploy_stage_secret_check_fails_clearly_when_the_secret_variable_is_not_defined()
    {
        var result = await RunSecretCheckAsync(new Dictionary<string, string>());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("##vso[task.logissue type=error]", result.Output);
        Assert.Contains($"secret pipeline variable {SecretVariable} is not set", result.Output);
    }

    [Fact]
    public void The_deploy_stage_checks_the_secret_before_using_it_and_no_inline_script_names_it_as_a_macro()
    {
        var steps = Steps(Stage("Deploy"));
        var check = steps.FindIndex(s => Scalar(s, "script")?.Contains(".ci/require-secret", StringComparison.Ordinal) == true);
        var bicep = steps.FindIndex(s => Scalar(s, "task") == "AzureCLI@2");
        Assert.True(check >= 0 && check < bicep, "The secret check must run before the Bicep deployment.");
        // A checkout, for the script file.
        Assert.Contains(steps.Take(check), s => Scalar(s, "checkout") == "self");
        // Inline script text is macro-expanded (a secret there ends up in the script file on the agent): scripts read it from env.
        foreach (var step in steps)
            foreach (var script in new[] { Scalar(step, "script"), Child(step, "inputs") is { } inputs ? Scalar(inputs, "inlineScript") : null })
                Assert.DoesNotContain($"$({SecretVariable})", script ?? "");
        Assert.Equal($"$({SecretVariable})", Scalar(Child(steps[bicep], "env")!, SecretVariable));
    }

    [Fact]
    public void Azd_deploys_the_functions_project_as_a_function_app()
    {
        var api = Child(Child(Load("azure.yaml"), "services")!, "api")!;
        Assert.Equal("function", Scalar(api, "host"));
        Assert.Equal("dotnet", Scalar(api, "language"));
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, Scalar(api, "project")!, "WxShare.Functions.csproj")));
    }

    [Fact]
    public void Azd_runs_the_smoke_test_after_deploying_and_then_prints_the_whitelist_address()
    {
        var postdeploy = Child(Child(Load("azure.yaml"), "hooks")!, "postdeploy")!;
        foreach (var os in new[] { "posix", "windows" })
        {
            Assert.Equal("bash ./scripts/postdeploy.sh", Scalar(Child(postdeploy, os)!, "run"));
            // A failing smoke test (the usual case before the address is whitelisted) must not fail `azd up`.
            Assert.Equal("true", Scalar(Child(postdeploy, os)!, "continueOnError"));
        }
        var script = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "scripts", "postdeploy.sh"));
        Assert.True(script.IndexOf("scripts/smoke.sh", StringComparison.Ordinal) < script.IndexOf("WECHAT_IP_WHITELIST_ADDRESS", StringComparison.Ordinal));
        // The outputs it reads are the Bicep template's.
        var outputs = BicepCli.MainTemplate["outputs"]!.AsObject();
        foreach (var output in new[] { "WXSHARE_URL", "WECHAT_IP_WHITELIST_ADDRESS" })
        {
            Assert.True(outputs.ContainsKey(output), $"main.bicep has no output {output}.");
            Assert.Contains(output, script);
        }
        // The smoke key is WxShare's own operator key (azd env), not an Azure function key, which opens nothing now.
        Assert.Contains("WXSHARE_OPERATOR_KEY", script);
        Assert.DoesNotContain("functionapp keys", script);
        Assert.Contains("${WXSHARE_OPERATOR_KEY}", File.ReadAllText(Path.Combine(RepositoryRoot.Path, "infra", "main.parameters.json")));
    }
}
