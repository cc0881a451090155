using WxShare.Functions.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace WxShare.Functions.Tests.Deployment;

/// <summary>azure-pipelines.yml and azure.yaml parse as YAML and say what docs/deploy.md promises.</summary>
public sealed class PipelineTests
{
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

    [Fact]
    public void Azd_deploys_the_functions_project_as_a_function_app()
    {
        var api = Child(Child(Load("azure.yaml"), "services")!, "api")!;
        Assert.Equal("function", Scalar(api, "host"));
        Assert.Equal("dotnet", Scalar(api, "language"));
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, Scalar(api, "project")!, "WxShare.Functions.csproj")));
        Assert.Contains("WECHAT_IP_WHITELIST_ADDRESS", Text(Child(Load("azure.yaml"), "hooks")!));
    }
}
