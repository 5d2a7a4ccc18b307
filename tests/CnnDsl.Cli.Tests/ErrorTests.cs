using Xunit;

namespace CnnDsl.Cli.Tests;

public class ErrorTests
{
    [Fact]
    public void Unknown_model_lists_the_models_and_suggests_the_closest()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG16BN");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal(
            "error: 'architectures/vgg.cnn' has no model named 'VGG16BN'. Did you mean 'VGG16_BN'?\n" +
            "Available models: VGG11, VGG11_LRN, VGG13, VGG16_C, VGG16, VGG19, VGG11_BN, VGG13_BN, VGG16_BN, VGG19_BN\n",
            run.Error);
    }

    [Fact]
    public void Unknown_model_offers_every_equally_close_name()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("vgg.cnn"), "--model", "VGG17");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Did you mean 'VGG11', 'VGG13', 'VGG16' or 'VGG19'?", run.Error);
    }

    [Fact]
    public void Unknown_model_far_from_every_name_gets_no_suggestion()
    {
        var run = CliRunner.Run("summary", CliRunner.Architecture("lenet5.cnn"), "--model", "ResNet50");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
            "error: 'architectures/lenet5.cnn' has no model named 'ResNet50'.\nAvailable models: LeNet5, LeNet5_1998\n",
            run.Error);
    }

    [Fact]
    public void Missing_file_is_one_line_and_exit_code_three()
    {
        var run = CliRunner.Run("summary", "missing.cnn");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal("error: file not found: 'missing.cnn'\n", run.Error);
    }

    [Fact]
    public void A_directory_is_not_a_file_to_summarise()
    {
        var run = CliRunner.Run("summary", System.IO.Path.Combine(CliRunner.BaseDirectory, "architectures"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("is a directory", run.Error);
    }

    [Theory]
    [InlineData("summary", "x.cnn", "--format", "xml")]
    [InlineData("summary", "x.cnn", "--depth", "0")]
    [InlineData("summary", "x.cnn", "--depth", "two")]
    [InlineData("summary")]
    [InlineData("check")]
    [InlineData("frobnicate")]
    [InlineData("summary", "x.cnn", "--colour")]
    public void Bad_command_lines_exit_two_with_a_hint(params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains("--help' for usage.", run.Error);
        Assert.DoesNotContain(" at ", run.Error);
    }

    [Fact]
    public void No_arguments_shows_help_and_exits_two()
    {
        var run = CliRunner.Run();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("summary", run.Out);
        Assert.Contains("check", run.Out);
    }

    [Fact]
    public void Help_exits_zero()
    {
        var run = CliRunner.Run("summary", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--model", run.Out);
        Assert.Contains("--format", run.Out);
        Assert.Contains("--depth", run.Out);
    }
}
