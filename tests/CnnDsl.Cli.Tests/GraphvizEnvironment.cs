using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>The tests that set <c>CNN_DOT</c> (GraphCommandTests) and those whose outcome depends
/// on it (DocCommandTests) run one after another, never beside each other.</summary>
[CollectionDefinition(Name)]
public sealed class GraphvizEnvironment
{
    public const string Name = "CNN_DOT";
}
