// Finds which tokens play BOS / EOS / PAD / UNK, from tokenizer_config.json when given, else by their usual names.

export interface SpecialRoles {
  bosId?: number;
  eosId?: number;
  padId?: number;
  unkId?: number;
}

/** tokenizer_config.json fields we use; values are either a string or an AddedToken-like `{content}`. */
export interface TokenizerConfigJson {
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  pad_token?: string | { content: string } | null;
  unk_token?: string | { content: string } | null;
  add_bos_token?: boolean;
  add_eos_token?: boolean;
  chat_template?: string | { name: string; template: string }[] | null;
  [key: string]: unknown;
}

const ROLE_NAMES: Record<keyof SpecialRoles, readonly string[]> = {
  bosId: ['<bos>', '<s>', '<|begin_of_text|>', '<|startoftext|>', '<|im_start|>'],
  eosId: ['<eos>', '</s>', '<|endoftext|>', '<|end_of_text|>', '<|eot_id|>', '<|im_end|>'],
  padId: ['<pad>', '<|pad|>', '[PAD]', '<|padding|>'],
  unkId: ['<unk>', '[UNK]', '<|unk|>'],
};

const CONFIG_KEY: Record<keyof SpecialRoles, keyof TokenizerConfigJson> = {
  bosId: 'bos_token',
  eosId: 'eos_token',
  padId: 'pad_token',
  unkId: 'unk_token',
};

function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/**
 * Resolves roles. A role named in the config wins (null there means "none"); otherwise the first usual name
 * present among the special tokens is taken. BOS is not guessed from `<|im_start|>` unless nothing else exists.
 */
export function resolveSpecialRoles(
  tokenToId: (token: string) => number | undefined,
  specialTokens: ReadonlyMap<string, number>,
  config: TokenizerConfigJson = {},
): SpecialRoles {
  const roles: SpecialRoles = {};
  for (const role of Object.keys(ROLE_NAMES) as (keyof SpecialRoles)[]) {
    const key = CONFIG_KEY[role];
    if (key in config) {
      const text = tokenText(config[key]);
      const id = text === undefined ? undefined : tokenToId(text);
      if (id !== undefined) roles[role] = id;
      continue;
    }
    const names = role === 'bosId' ? ROLE_NAMES.bosId.slice(0, -1) : ROLE_NAMES[role];
    for (const name of names) {
      const id = specialTokens.get(name);
      if (id !== undefined) {
        roles[role] = id;
        break;
      }
    }
  }
  return roles;
}

/** The chat template string from tokenizer_config (the 'default' entry when it is a named list). */
export function chatTemplateOf(config: TokenizerConfigJson = {}): string | undefined {
  const template = config.chat_template;
  if (typeof template === 'string') return template;
  if (Array.isArray(template)) return template.find((t) => t.name === 'default')?.template ?? template[0]?.template;
  return undefined;
}
