const MODEL_KEY_VARIABLE = /^OPENAI_([A-Z0-9]+)_KEY$/;

/**
 * The per-agent OpenAI keys of the original BSM: an agent's `modelKey: bsm` selects
 * OPENAI_BSM_KEY. Their names are open-ended, so they cannot be fields of Env; they are
 * collected here once, at boot, from the same variable map.
 */
export class ModelKeys {
  private constructor(private readonly keys: ReadonlyMap<string, string>) {}

  static from(source: Record<string, string | undefined>): ModelKeys {
    const keys = new Map<string, string>();
    for (const [name, value] of Object.entries(source)) {
      const match = MODEL_KEY_VARIABLE.exec(name);
      if (match && match[1] !== 'API' && value) keys.set(match[1].toLowerCase(), value);
    }
    return new ModelKeys(keys);
  }

  /** The variable an agent's modelKey reads, e.g. bsm → OPENAI_BSM_KEY. */
  static variableFor(modelKey: string): string {
    return `OPENAI_${modelKey.toUpperCase().replace(/[^A-Z0-9]/g, '')}_KEY`;
  }

  get(modelKey: string): string | undefined {
    return this.keys.get(modelKey.toLowerCase().replace(/[^a-z0-9]/g, ''));
  }
}
