"""Golden fixtures for the BERT encoder, computed independently in float64 PyTorch (no transformers package).

Writes a tiny random BERT checkpoint in the exact Hub layout of a sentence-transformers repository such as
sentence-transformers/all-MiniLM-L6-v2 (config.json, model.safetensors, tokenizer.json, tokenizer_config.json,
modules.json with a Normalize module, 1_Pooling/config.json, sentence_bert_config.json) and, beside it, the expected
numbers: last hidden state, mean / CLS pooled and L2-normalised sentence embeddings for a right-padded batch, with
and without a PEFT LoRA adapter on query/key/value/attention.output.dense/intermediate.dense/output.dense, plus the
ids a plain greedy WordPiece gives for the texts.

The forward pass follows Hugging Face's BertModel: word + absolute position + token-type embeddings, LayerNorm,
post-norm blocks (attention → dense → add → LayerNorm; intermediate dense → exact erf GELU → output dense → add →
LayerNorm), attention mask added as a large negative bias on padded keys.

Run: /usr/bin/python3 scripts/golden/make_bert_fixtures.py  (writes src/engine/hub/fixtures/tunelab-test/tiny-bert-st/ and
src/engine/models/fixtures/bert-tiny.golden.json)
"""
import json
import math
import os
import struct
import unicodedata

import torch

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'engine', 'models', 'fixtures')
REPO = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'engine', 'hub', 'fixtures', 'tunelab-test', 'tiny-bert-st')

CONFIG = {
    'architectures': ['BertModel'],
    'attention_probs_dropout_prob': 0.1,
    'classifier_dropout': None,
    'gradient_checkpointing': False,
    'hidden_act': 'gelu',
    'hidden_dropout_prob': 0.1,
    'hidden_size': 16,
    'initializer_range': 0.02,
    'intermediate_size': 32,
    'layer_norm_eps': 1e-12,
    'max_position_embeddings': 24,
    'model_type': 'bert',
    'num_attention_heads': 4,
    'num_hidden_layers': 2,
    'pad_token_id': 0,
    'position_embedding_type': 'absolute',
    'torch_dtype': 'float32',
    'transformers_version': '4.41.2',
    'type_vocab_size': 2,
    'use_cache': True,
}

SPECIALS = ['[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
WORDS = ['the', 'a', 'refund', 'bill', 'ticket', 'manager', 'over', 'limit', 'team', 'route', 'cafe', 'page', 'i', 'is',
         'to', 'goes', 'my', 'was', 'late', 'ship', '.', ',', '!', '?', "'", 'un', 'e', 'r', 's']
CONTINUATIONS = ['##ing', '##s', '##ed', '##able', '##er', '##e', '##r', '##s', '##t']
VOCAB = []
for t in SPECIALS + WORDS + CONTINUATIONS:
    if t not in VOCAB:
        VOCAB.append(t)
CONFIG['vocab_size'] = len(VOCAB)

TEXTS = ['The refund goes to the manager.', 'Billing ticket!', 'Café shipped late, over limit?', 'unroutable xyz']
LORA = {'r': 2, 'lora_alpha': 4, 'targets': ['query', 'key', 'value', 'attention.output.dense', 'intermediate.dense', 'output.dense']}


def f32(t):
    """Round to float32 and back, so the engine (float32) starts from exactly the same numbers."""
    return t.float().double()


# ---------------------------------------------------------------- a plain greedy WordPiece (BERT's BasicTokenizer rules)

def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith('P')


def wordpiece(text):
    text = unicodedata.normalize('NFD', text.lower())
    text = ''.join(c for c in text if unicodedata.category(c) != 'Mn')
    words = []
    for chunk in text.split():
        cur = ''
        for ch in chunk:
            if is_punct(ch):
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ''
            else:
                cur += ch
        if cur:
            words.append(cur)
    ids = []
    for w in words:
        start, pieces = 0, []
        while start < len(w):
            end, found = len(w), None
            while start < end:
                s = w[start:end] if start == 0 else '##' + w[start:end]
                if s in VOCAB:
                    found = s
                    break
                end -= 1
            if found is None:
                pieces = None
                break
            pieces.append(VOCAB.index(found))
            start = end
        ids.extend([VOCAB.index('[UNK]')] if pieces is None else pieces)
    return [VOCAB.index('[CLS]')] + ids + [VOCAB.index('[SEP]')]


# ---------------------------------------------------------------- weights

def make_weights(seed):
    g = torch.Generator().manual_seed(seed)
    H, I, L = CONFIG['hidden_size'], CONFIG['intermediate_size'], CONFIG['num_hidden_layers']
    W = {}

    def normal(name, shape, std, mean=0.0):
        W[name] = f32(mean + std * torch.randn(*shape, generator=g))

    normal('embeddings.word_embeddings.weight', [CONFIG['vocab_size'], H], 0.5)
    normal('embeddings.position_embeddings.weight', [CONFIG['max_position_embeddings'], H], 0.3)
    normal('embeddings.token_type_embeddings.weight', [CONFIG['type_vocab_size'], H], 0.3)
    normal('embeddings.LayerNorm.weight', [H], 0.1, 1.0)
    normal('embeddings.LayerNorm.bias', [H], 0.1)
    for i in range(L):
        p = f'encoder.layer.{i}'
        for m in ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense']:
            normal(f'{p}.{m}.weight', [H, H], 0.35)
            normal(f'{p}.{m}.bias', [H], 0.1)
        normal(f'{p}.attention.output.LayerNorm.weight', [H], 0.1, 1.0)
        normal(f'{p}.attention.output.LayerNorm.bias', [H], 0.1)
        normal(f'{p}.intermediate.dense.weight', [I, H], 0.35)
        normal(f'{p}.intermediate.dense.bias', [I], 0.1)
        normal(f'{p}.output.dense.weight', [H, I], 0.25)
        normal(f'{p}.output.dense.bias', [H], 0.1)
        normal(f'{p}.output.LayerNorm.weight', [H], 0.1, 1.0)
        normal(f'{p}.output.LayerNorm.bias', [H], 0.1)
    # BertModel's pooler (tanh dense on [CLS]): in every Hub checkpoint, unused by sentence-transformers.
    normal('pooler.dense.weight', [H, H], 0.2)
    normal('pooler.dense.bias', [H], 0.1)
    return W


def lora_modules():
    out = []
    for i in range(CONFIG['num_hidden_layers']):
        p = f'encoder.layer.{i}'
        for m in ['attention.self.query', 'attention.self.key', 'attention.self.value', 'attention.output.dense', 'intermediate.dense', 'output.dense']:
            out.append(f'{p}.{m}')
    return out


def make_lora(seed, W):
    g = torch.Generator().manual_seed(seed)
    params = {}
    for m in lora_modules():
        out_f, in_f = W[f'{m}.weight'].shape
        params[f'base_model.model.{m}.lora_A.weight'] = f32(torch.randn(LORA['r'], in_f, generator=g) * 0.4)
        params[f'base_model.model.{m}.lora_B.weight'] = f32(torch.randn(out_f, LORA['r'], generator=g) * 0.4)
    return params


# ---------------------------------------------------------------- forward (HF BertModel semantics)

def layer_norm(x, w, b):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + CONFIG['layer_norm_eps']) * w + b


def gelu_erf(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def linear(W, lora, x, m):
    y = x @ W[f'{m}.weight'].t() + W[f'{m}.bias']
    if lora is not None:
        a = lora['params'][f'base_model.model.{m}.lora_A.weight']
        b = lora['params'][f'base_model.model.{m}.lora_B.weight']
        y = y + (x @ a.t()) @ b.t() * lora['scale']
    return y


def bert_forward(W, ids, mask, types, lora=None):
    B, T = ids.shape
    H, nh = CONFIG['hidden_size'], CONFIG['num_attention_heads']
    D = H // nh
    x = W['embeddings.word_embeddings.weight'][ids] + W['embeddings.position_embeddings.weight'][torch.arange(T)][None] + W['embeddings.token_type_embeddings.weight'][types]
    x = layer_norm(x, W['embeddings.LayerNorm.weight'], W['embeddings.LayerNorm.bias'])
    bias = (1.0 - mask.double())[:, None, None, :] * torch.finfo(torch.float64).min  # [B, 1, 1, T]
    for i in range(CONFIG['num_hidden_layers']):
        p = f'encoder.layer.{i}'
        split = lambda t: t.view(B, T, nh, D).transpose(1, 2)  # [B, nh, T, D]
        q = split(linear(W, lora, x, f'{p}.attention.self.query'))
        k = split(linear(W, lora, x, f'{p}.attention.self.key'))
        v = split(linear(W, lora, x, f'{p}.attention.self.value'))
        scores = q @ k.transpose(-1, -2) / math.sqrt(D) + bias
        ctx = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(B, T, H)
        a = layer_norm(linear(W, lora, ctx, f'{p}.attention.output.dense') + x, W[f'{p}.attention.output.LayerNorm.weight'], W[f'{p}.attention.output.LayerNorm.bias'])
        h = gelu_erf(linear(W, lora, a, f'{p}.intermediate.dense'))
        x = layer_norm(linear(W, lora, h, f'{p}.output.dense') + a, W[f'{p}.output.LayerNorm.weight'], W[f'{p}.output.LayerNorm.bias'])
    return x  # [B, T, H]


def mean_pool(h, mask):  # sentence-transformers Pooling(pooling_mode_mean_tokens)
    m = mask.double()[:, :, None]
    return (h * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def normalize(e):  # sentence-transformers Normalize: F.normalize(p=2, dim=1)
    return e / torch.clamp(e.norm(dim=1, keepdim=True), min=1e-12)


# ---------------------------------------------------------------- files

def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = tensors[name].float().contiguous().numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header['__metadata__'] = {'format': 'pt'}
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def special(id_, content):
    return {'id': id_, 'content': content, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True}


def tokenizer_json(max_length):
    ids = {t: i for i, t in enumerate(VOCAB)}
    tok = lambda t, type_id: {'SpecialToken': {'id': t, 'type_id': type_id}}
    return {
        'version': '1.0',
        # As all-MiniLM-L6-v2's tokenizer.json: truncation and fixed padding set (the encoder cuts and pads itself).
        'truncation': {'direction': 'Right', 'max_length': max_length, 'strategy': 'LongestFirst', 'stride': 0},
        'padding': {'strategy': {'Fixed': max_length}, 'direction': 'Right', 'pad_to_multiple_of': None, 'pad_id': 0, 'pad_type_id': 0, 'pad_token': '[PAD]'},
        'added_tokens': [special(ids[t], t) for t in ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']],
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True, 'strip_accents': None, 'lowercase': True},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [tok('[CLS]', 0), {'Sequence': {'id': 'A', 'type_id': 0}}, tok('[SEP]', 0)],
            'pair': [tok('[CLS]', 0), {'Sequence': {'id': 'A', 'type_id': 0}}, tok('[SEP]', 0), {'Sequence': {'id': 'B', 'type_id': 1}}, tok('[SEP]', 1)],
            'special_tokens': {t: {'id': t, 'ids': [ids[t]], 'tokens': [t]} for t in ['[CLS]', '[SEP]']},
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##', 'max_input_chars_per_word': 100, 'vocab': ids},
    }


def dump(t):
    return [float(f'{v:.10g}') for v in t.flatten().tolist()]


def main():
    os.makedirs(os.path.join(REPO, '1_Pooling'), exist_ok=True)
    W = make_weights(11)
    lora = {'params': make_lora(12, W), 'scale': LORA['lora_alpha'] / LORA['r']}
    max_seq_length = 16

    write_safetensors(os.path.join(REPO, 'model.safetensors'), W)
    files = {
        'config.json': CONFIG,
        'tokenizer.json': tokenizer_json(max_seq_length),
        'tokenizer_config.json': {'clean_up_tokenization_spaces': True, 'cls_token': '[CLS]', 'do_basic_tokenize': True, 'do_lower_case': True, 'mask_token': '[MASK]', 'model_max_length': 512, 'never_split': None, 'pad_token': '[PAD]', 'sep_token': '[SEP]', 'strip_accents': None, 'tokenize_chinese_chars': True, 'tokenizer_class': 'BertTokenizer', 'unk_token': '[UNK]'},
        'modules.json': [
            {'idx': 0, 'name': '0', 'path': '', 'type': 'sentence_transformers.models.Transformer'},
            {'idx': 1, 'name': '1', 'path': '1_Pooling', 'type': 'sentence_transformers.models.Pooling'},
            {'idx': 2, 'name': '2', 'path': '2_Normalize', 'type': 'sentence_transformers.models.Normalize'},
        ],
        'sentence_bert_config.json': {'max_seq_length': max_seq_length, 'do_lower_case': False},
        '1_Pooling/config.json': {'word_embedding_dimension': CONFIG['hidden_size'], 'pooling_mode_cls_token': False, 'pooling_mode_mean_tokens': True, 'pooling_mode_max_tokens': False, 'pooling_mode_mean_sqrt_len_tokens': False},
    }
    for name, value in files.items():
        with open(os.path.join(REPO, name), 'w') as f:
            json.dump(value, f, indent=2)
            f.write('\n')

    ids_list = [wordpiece(t) for t in TEXTS]
    T = max(len(x) for x in ids_list)
    ids = torch.zeros(len(TEXTS), T, dtype=torch.long)
    mask = torch.zeros(len(TEXTS), T, dtype=torch.long)
    for b, x in enumerate(ids_list):
        ids[b, :len(x)] = torch.tensor(x)
        mask[b, :len(x)] = 1
    types = torch.zeros_like(ids)
    # A pair input: [CLS] A [SEP] B [SEP] with token types 0 … 0 1 … 1, to check the token-type table.
    pair_ids = torch.tensor([[3, 6, 8, 4, 13, 14, 4]])
    pair_types = torch.tensor([[0, 0, 0, 0, 1, 1, 1]])
    pair_mask = torch.ones_like(pair_ids)

    out = {'name': 'bert-tiny', 'generatedBy': f'scripts/golden/make_bert_fixtures.py (float64 PyTorch {torch.__version__})',
           'texts': TEXTS, 'ids': ids.tolist(), 'mask': mask.tolist(),
           'adapter': {'r': LORA['r'], 'lora_alpha': LORA['lora_alpha'], 'lora_dropout': 0, 'target_modules': LORA['targets'],
                    'weights': {k: {'shape': list(v.shape), 'data': dump(v)} for k, v in lora['params'].items()}},
           'pair': {'ids': pair_ids.tolist(), 'tokenTypeIds': pair_types.tolist(), 'hidden': dump(bert_forward(W, pair_ids, pair_mask, pair_types))}}
    for key, adapter in [('base', None), ('withLora', lora)]:
        h = bert_forward(W, ids, mask, types, adapter)
        mean = mean_pool(h, mask)
        cls = h[:, 0]
        out[key] = {'hidden': dump(h), 'mean': dump(mean), 'cls': dump(cls), 'meanNormalized': dump(normalize(mean)), 'clsNormalized': dump(normalize(cls))}
    with open(os.path.join(ROOT, 'bert-tiny.golden.json'), 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print('ids', ids_list)


if __name__ == '__main__':
    main()
