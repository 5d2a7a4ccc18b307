using System.Linq;
using System.Text.Json;
using Snapshooter.Xunit;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn list FILE...</c>: one line per model.</summary>
public class ListCommandTests
{
    [Fact]
    public void Listed_models_match_snapshot()
    {
        var run = CliRunner.Run("list", CliRunner.Architecture("lenet5.cnn"), CliRunner.Architecture("alexnet.cnn"), CliRunner.Architecture("vgg.cnn"),
            CliRunner.Architecture("googlenet.cnn"), CliRunner.Architecture("resnet.cnn"), CliRunner.Architecture("densenet.cnn"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Snapshot.Match(run.Out);
    }

    [Fact]
    public void A_directory_lists_every_file_in_it()
    {
        var run = CliRunner.Run("list", System.IO.Path.Combine(CliRunner.BaseDirectory, "architectures"), "--format", "csv");

        Assert.Equal(0, run.ExitCode);
        foreach (var file in new[] { "alexnet", "densenet", "googlenet", "lenet5", "nin", "resnet", "vgg" })
        {
            Assert.Contains($"architectures/{file}.cnn,", run.Out);
        }
    }

    [Fact]
    public void One_file_has_no_file_column()
    {
        var run = CliRunner.Run("list", CliRunner.Architecture("lenet5.cnn"));

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ Model\s+│ Input\s+│ Output │\s+Parameters │\s+Multiply-adds │", run.Out);
        Assert.Matches(@"│ LeNet5\s+│ 1x28x28 │ 10\s+│\s+61,706 │\s+416.52 K │", run.Out);
        Assert.Matches(@"│ LeNet5_1998 │ 1x32x32 │ 10\s+│\s+60,000 │\s+328.10 K │", run.Out);
        Assert.Contains("2 models in 1 file;", run.Out);
    }

    [Fact]
    public void Json_gives_every_model_with_its_figures()
    {
        var run = CliRunner.Run("list", CliRunner.Architecture("googlenet.cnn"), CliRunner.Architecture("resnet.cnn"), "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Out);
        var models = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(15, models.Count); // GoogLeNet's 5; ResNet's 5, ResNeXt's 3 and Wide ResNet's 2
        var aux = models.Single(m => m.GetProperty("model").GetString() == "GoogLeNetAux");
        Assert.Equal(6_624_904, aux.GetProperty("parameters").GetInt64());
        Assert.Equal(6_379_984, aux.GetProperty("auxiliaryParameters").GetInt64());
        var resnet = models.Single(m => m.GetProperty("model").GetString() == "ResNet50");
        Assert.Equal("architectures/resnet.cnn", resnet.GetProperty("file").GetString());
        Assert.Equal(4_089_184_256, resnet.GetProperty("macs").GetInt64());
        Assert.Equal("[3, 224, 224]", resnet.GetProperty("input").GetRawText());
    }

    [Fact]
    public void Csv_and_markdown_list_the_same_models()
    {
        var csv = CliRunner.Run("list", CliRunner.Architecture("vgg.cnn"), "--format", "csv").Out.TrimEnd('\n').Split('\n');
        var markdown = CliRunner.Run("list", CliRunner.Architecture("vgg.cnn"), "--format", "markdown").Out.TrimEnd('\n').Split('\n');

        Assert.Equal("file,model,input,output,parameters,auxiliary_parameters,buffers,macs", csv[0]);
        Assert.Equal("architectures/vgg.cnn,VGG16,3x224x224,1000,138357544,0,0,15470264320", csv[5]);
        Assert.Equal(11, csv.Length);
        Assert.Equal(12, markdown.Length);
        Assert.Equal("| `architectures/vgg.cnn` | VGG16 | 3x224x224 | 1000 | 138,357,544 | 15.47 G |", markdown[6]);
    }

    [Fact]
    public void A_bad_file_is_reported_and_the_others_still_listed()
    {
        using var bad = new TempCnnFile("model Broken input 1x28x28 = conv(6, 5) -> relux\n", "broken.cnn");
        var run = CliRunner.Run("list", bad.Path, CliRunner.Architecture("lenet5.cnn"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error[CNN0010]", run.Error);
        Assert.Contains("its models are not listed", run.Error);
        Assert.Contains("LeNet5_1998", run.Out);
    }

    [Fact]
    public void A_missing_file_exits_three_and_the_others_are_still_listed()
    {
        var run = CliRunner.Run("list", "no-such-file.cnn", CliRunner.Architecture("lenet5.cnn"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("error: file not found: 'no-such-file.cnn'", run.Error);
        Assert.Contains("LeNet5_1998", run.Out);
    }
}
