using Xunit;

namespace CnnDsl.Package.Tests;

/// <summary>One packing for every test here, and one build at a time (the machine has 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<SamplePackages>
{
    public const string Name = "packages";
}
