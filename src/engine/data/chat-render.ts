// Renders chat messages to text: a plain documented format, or the model's Jinja chat template (@huggingface/jinja).

import { Template } from '@huggingface/jinja';
import { TokenizerError } from '../errors';
import type { Tokenizer } from '../tokenizers/tokenizer';
import type { ChatMessage } from './record';

/** Renders messages; with `addGenerationPrompt` it ends with the header an assistant reply would follow. */
export type ChatRenderer = (messages: readonly ChatMessage[], addGenerationPrompt: boolean) => string;

/**
 * The plain rendering used when the tokenizer has no chat template. Each message is `role: content\n`;
 * the generation prompt is `assistant: `. Example: "user: hi\nassistant: hello\n".
 */
export const plainChatRenderer: ChatRenderer = (messages, addGenerationPrompt) =>
  messages.map((m) => `${m.role}: ${m.content}\n`).join('') + (addGenerationPrompt ? 'assistant: ' : '');

function specialText(tokenizer: Tokenizer, id: number | undefined): string {
  return id === undefined ? '' : (tokenizer.idToToken(id) ?? '');
}

/** A renderer for a Hugging Face chat template (tokenizer_config.json `chat_template`). */
export function createJinjaChatRenderer(template: string, tokenizer: Tokenizer): ChatRenderer {
  let compiled: Template;
  try {
    compiled = new Template(template);
  } catch (error) {
    throw new TokenizerError(
      `The chat template in tokenizer_config.json does not parse: ${error instanceof Error ? error.message : String(error)}`,
      'Remove "chat_template" from tokenizer_config.json to use the plain rendering, or fix the template.',
    );
  }
  const bos = specialText(tokenizer, tokenizer.bosId);
  const eos = specialText(tokenizer, tokenizer.eosId);
  const pad = specialText(tokenizer, tokenizer.padId);
  return (messages, addGenerationPrompt) => {
    try {
      return compiled.render({
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        add_generation_prompt: addGenerationPrompt,
        bos_token: bos,
        eos_token: eos,
        pad_token: pad,
      });
    } catch (error) {
      throw new TokenizerError(
        `The model's chat template refused this conversation: ${error instanceof Error ? error.message : String(error)}`,
        'Check the roles and their order (many templates need user and assistant to alternate).',
      );
    }
  };
}

const renderers = new WeakMap<Tokenizer, ChatRenderer>();

/** The tokenizer's own chat template when it has one, else the plain rendering. Cached per tokenizer. */
export function chatRendererFor(tokenizer: Tokenizer): ChatRenderer {
  let renderer = renderers.get(tokenizer);
  if (!renderer) {
    renderer = tokenizer.chatTemplate ? createJinjaChatRenderer(tokenizer.chatTemplate, tokenizer) : plainChatRenderer;
    renderers.set(tokenizer, renderer);
  }
  return renderer;
}

/** A piece of rendered conversation and the loss weight of its tokens. */
export interface WeightedSegment {
  text: string;
  weight: number;
}

/**
 * Splits a rendered conversation into weighted segments by rendering growing prefixes: message i's segment is
 * render(0..i) minus render(0..i-1). In a trained message the header gets weight 0 and the rest — content plus
 * end-of-turn marker — the message weight; the header is render(0..i-1) with the generation prompt for assistant
 * messages, else everything before the last occurrence of the message content in its segment.
 * Templates whose prefixes are not prefixes (some drop earlier reasoning) fall back to weighting the message
 * content found in order within the full rendering.
 */
export function weightedChatSegments(
  messages: readonly ChatMessage[],
  render: ChatRenderer,
  weightOf: (message: ChatMessage) => number,
): WeightedSegment[] {
  const segments: WeightedSegment[] = [];
  let previous = '';
  for (let i = 0; i < messages.length; i++) {
    const full = render(messages.slice(0, i + 1), false);
    if (!full.startsWith(previous)) return contentSearchSegments(messages, render, weightOf);
    const weight = weightOf(messages[i]);
    if (weight > 0) {
      const header = messages[i].role === 'assistant' ? render(messages.slice(0, i), true) : undefined;
      const own = full.slice(previous.length);
      // Start of the trained part: after the assistant header, else at the message content (its last occurrence).
      const headerFits = header !== undefined && header.length > previous.length && header.startsWith(previous) && full.startsWith(header);
      let start = headerFits ? header.length - previous.length : -1;
      if (start < 0) start = Math.max(0, own.lastIndexOf(messages[i].content));
      segments.push({ text: own.slice(0, start), weight: 0 });
      segments.push({ text: own.slice(start), weight });
    } else {
      segments.push({ text: full.slice(previous.length), weight: 0 });
    }
    previous = full;
  }
  return segments.filter((s) => s.text.length > 0);
}

function contentSearchSegments(
  messages: readonly ChatMessage[],
  render: ChatRenderer,
  weightOf: (message: ChatMessage) => number,
): WeightedSegment[] {
  const full = render(messages, false);
  const segments: WeightedSegment[] = [];
  let cursor = 0;
  for (const message of messages) {
    const weight = weightOf(message);
    const at = message.content.length ? full.indexOf(message.content, cursor) : -1;
    if (at < 0) continue;
    if (weight > 0) {
      segments.push({ text: full.slice(cursor, at), weight: 0 });
      segments.push({ text: message.content, weight });
      cursor = at + message.content.length;
    }
  }
  segments.push({ text: full.slice(cursor), weight: 0 });
  return segments.filter((s) => s.text.length > 0);
}
