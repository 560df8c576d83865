namespace DeepLanguageNetworks;

/// <summary>The role of a language model call, for usage accounting.</summary>
public enum CallRole
{
    /// <summary>Not specified.</summary>
    Unspecified,

    /// <summary>Forward pass on training batches (hidden texts and predictions).</summary>
    Forward,

    /// <summary>Backward model: prompt proposals and posterior hidden samples.</summary>
    Backward,

    /// <summary>Scoring of candidate prompts and posterior samples.</summary>
    Scoring,

    /// <summary>Evaluation on dev or test sets.</summary>
    Evaluation,

    /// <summary>Inference by a user of a trained network.</summary>
    Inference,

    /// <summary>An LLM-as-judge metric grading outputs (<see cref="LanguageModelJudge"/>), in training and evaluation alike.</summary>
    Judge,
}
