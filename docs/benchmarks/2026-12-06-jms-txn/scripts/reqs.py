import re,collections,sys
names={0:'Produce',1:'Fetch',3:'Metadata',8:'OffsetCommit',10:'FindCoordinator',18:'ApiVersions',22:'InitProducerId',24:'AddPartitionsToTxn',25:'AddOffsetsToTxn',26:'EndTxn',28:'TxnOffsetCommit',76:'ShareGroupHeartbeat',78:'ShareFetch',79:'ShareAcknowledge',19:'CreateTopics',32:'DescribeConfigs',60:'DescribeCluster'}
c=collections.Counter()
for l in open(sys.argv[1]):
    if '19593]>' not in l or '->' not in l: continue
    m=re.search(r'19593\]>, (?:\[\{iov_base=)?"((?:\\x[0-9a-f]{2})+)',l)
    if not m: continue
    b=bytes(int(x,16) for x in re.findall(r'\\x([0-9a-f]{2})',m.group(1)))
    if len(b)>=8:
        k=int.from_bytes(b[4:6],'big'); v=int.from_bytes(b[6:8],'big'); c[(names.get(k,k),v)]+=1
for k,v in c.most_common(): print(v,k)
