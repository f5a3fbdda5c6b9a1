export interface KnowledgeDocument {
  /** The file name listed in knowledge/index.json. */
  id: string;
  title: string;
  content: string;
  bytes: number;
}

export interface KnowledgeHit {
  id: string;
  title: string;
  score: number;
  snippet: string;
}
