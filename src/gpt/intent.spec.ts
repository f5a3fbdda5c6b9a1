import { detectIntent } from './intent';

describe('detectIntent', () => {
  it.each([
    ['Please create a new agent for billing', 'create_agent'],
    ['can you build an agents roster', 'create_agent'],
    ['أنشئ وكيل جديد للفواتير', 'create_agent'],
    ['update the file README.md', 'update_file'],
    ['Edit this config file please', 'update_file'],
    ['عدّل الملف الرئيسي', 'update_file'],
    ['What does our agent policy say?', null],
    ['explain the file layout', null],
  ])('%s → %s', (text, intent) => {
    expect(detectIntent(text)).toBe(intent);
  });
});
