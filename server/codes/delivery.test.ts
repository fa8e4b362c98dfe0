import { describe, expect, it } from 'vitest';
import { communicationChannels, deliveryChannel, deliveryChannels } from './delivery.ts';

describe('how a letter reaches the consumer', () => {
  it('goes by e-mail when there is an address', () => {
    expect(deliveryChannel({ contactEmail: 'maria.ionescu@gmail.test' })).toBe('email');
  });

  it('goes by post without one: null, missing or empty', () => {
    expect(deliveryChannel({ contactEmail: null })).toBe('post');
    expect(deliveryChannel({ contactEmail: undefined })).toBe('post');
    expect(deliveryChannel({ contactEmail: '' })).toBe('post');
  });

  it('an answer is communicated by one of the delivery channels or through the portal', () => {
    expect([...communicationChannels]).toEqual([...deliveryChannels, 'portal']);
  });
});
