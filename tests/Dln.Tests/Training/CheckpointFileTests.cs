namespace DeepLanguageNetworks.Tests.Training;

/// <summary>A checkpoint file that is complete JSON but not a complete checkpoint is rejected with a message naming the file.</summary>
public class CheckpointFileTests
{
    [Theory]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":null,"bestPrompts":["p"],"bestDevAccuracy":0.5}""", "prompts")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["p"],"bestPrompts":null,"bestDevAccuracy":0.5}""", "bestPrompts")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":[null],"bestPrompts":["p"],"bestDevAccuracy":0.5}""", "prompts")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["p"],"bestPrompts":["p"],"bestDevAccuracy":0.5,"memory":null}""", "memory")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["p"],"bestPrompts":["p"],"bestDevAccuracy":0.5,"history":null}""", "history")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["p"],"bestPrompts":["p"],"bestDevAccuracy":0.5,"devAccuracies":null}""", "devAccuracies")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":3,"prompts":["p"],"bestPrompts":["p"],"bestDevAccuracy":0.5}""", "iterationsCompleted")]
    [InlineData("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["p"],"bestPrompts":["p"]}""", "bestDevAccuracy")]
    public void Incomplete_checkpoint_is_rejected_naming_the_file_and_field(string json, string field)
    {
        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.FromJson(json, "runs/a.checkpoint.json"));
        Assert.Contains("runs/a.checkpoint.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Minimal_valid_checkpoint_loads_with_empty_collections()
    {
        var checkpoint = TrainingCheckpoint.FromJson("""{"seed":1,"depth":1,"iterations":2,"iterationsCompleted":1,"prompts":["p"],"bestPrompts":["q"],"bestDevAccuracy":0.5}""");
        Assert.Equal(["p"], checkpoint.Prompts);
        Assert.Equal(["q"], checkpoint.BestPrompts);
        Assert.Empty(checkpoint.Memory);
        Assert.Empty(checkpoint.History);
        Assert.Empty(checkpoint.DevAccuracies);
    }
}
